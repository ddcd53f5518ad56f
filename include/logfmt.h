/*
 * logfmt: reads the fields of one logfmt line by key, for sources with
 * format = logfmt. Does no I/O, never prints, holds no global state.
 *
 * Two objects. A key set (struct logfmt_keys) names the keys a source
 * wants, each in a numbered slot; it is made once from the rules and is
 * read-only once a scanner has been made from it, so any number of
 * scanners, in any threads, may share it. It must outlive them. A
 * scanner (struct logfmt), one per matcher, scans one line at a time and
 * fills one struct logfmt_field per slot. Nothing is allocated per line:
 * the scanner's buffer is made by logfmt_new() for lines of up to
 * maxline bytes and grows only if a longer line comes.
 *
 * The line (words a manual can copy; numbers are cited in logfmt.c):
 *
 *  1. A line is words separated by blanks. A blank is any byte from
 *     0x00 to 0x20: space, tab, and the other C0 control bytes (DEL,
 *     0x7f, is not one). Blanks at either end do not count.
 *  2. A word is a key, then optionally = and a value. The key is the
 *     bytes before the first blank or =, any others (" and bytes 0x80
 *     and up included; UTF-8 is not checked). Keys are compared byte
 *     for byte, case counts. A word that starts with = has an empty
 *     key, which no slot can name (it still ends the leading words of
 *     rule 7).
 *  3. A word without = is a bare key: it is present and its value is
 *     empty, as after "key=" with nothing following.
 *  4. A value that starts with " is quoted. It ends at the next " that
 *     no backslash escapes (a backslash escapes the byte after it, so
 *     \" does not end it); the next word may follow the closing " at
 *     once, with no blank between. Inside, \" \\ \/ and \' are that
 *     character; \b \f \n \r \t are backspace, form feed, newline,
 *     carriage return and tab; \uXXXX (four hex digits, either case) is
 *     that code point in UTF-8, and a high surrogate \uD800-\uDBFF must
 *     be followed at once by a low one \uDC00-\uDFFF, the pair making
 *     one code point. Every other byte, control bytes and invalid UTF-8
 *     included, is taken as it is.
 *  5. Any other value is bare: the bytes up to the next blank or the end
 *     of the line, = and " included (k=a=b gives k the value a=b, and
 *     k=b"c the value b"c). A " opens a quoted value only as the first
 *     byte after =.
 *  6. A key that occurs more than once: the last occurrence wins.
 *  7. The leading words are the bare keys before the line's first word
 *     with =, taken as one value from the start of the first to the end
 *     of the last, blanks between them as written: the time stamp in
 *     "2026-11-21T00:07:43.402Z level=info", the date and time in
 *     "2026-11-21 10:15:09 level=info"; a line whose first word has =
 *     has none. A slot may take them (logfmt_keys_leading()) as well as
 *     keys; a key of the slot that occurs in the line wins over them, as
 *     if the leading words came first.
 *  8. A line is refused, and yields no fields, only for these faults, of
 *     which the leftmost is reported, with its reason and the 0-based
 *     offset in the line of the byte named:
 *       "unterminated quoted value"	the opening "
 *       "unknown escape"			its backslash
 *       "\u needs 4 hex digits"		its backslash
 *       "lone surrogate in \u escape"	the backslash of the surrogate
 *     (a high surrogate not followed by a low one, or a low one alone).
 *     The offset is always inside the line. Everything else is read as
 *     rules 1-7 say: cxwatch refuses a line only where it cannot tell
 *     where a value ends or what it holds.
 *
 * Where go-logfmt (github.com/go-logfmt/logfmt, whose decoder tests
 * tests/data/logfmt-cases.txt transcribes) differs, and why:
 *  - It refuses a line with " or = in a key or in a bare value, or a word
 *    that starts with =. cxwatch reads them as rules 2 and 5 say: a log
 *    writer that puts a query string or a stray quote in an unquoted
 *    message must not hide the line's customer and event.
 *  - It refuses a key that is not valid UTF-8 or holds U+FFFD; here keys
 *    are bytes, and such a key can only fail to equal a slot's name.
 *  - A lone surrogate is U+FFFD there and refuses the line here, as in
 *    cxwatch's JSON sources: one customer id must not read as another.
 *  - In a quoted value with an escape, it refuses control bytes and
 *    turns invalid UTF-8 into U+FFFD, but keeps both in one without;
 *    here the bytes are always kept as they are.
 *  - Its error positions are 1-based and an unterminated value's points
 *    past the line's end; ours are 0-based and point at the opening ".
 *  - It refuses a line longer than its buffer; the scanner here grows its
 *    buffer to fit (cxwatch's --max-line bounds the lines it is given).
 */
#ifndef CXW_LOGFMT_H
#define CXW_LOGFMT_H

#include <stddef.h>

struct logfmt_keys;
struct logfmt;

/* A slot's value in the last line scanned. */
struct logfmt_field {
	const char	*p;		/* see logfmt_scan(); no NUL */
	size_t		 len;
	int		 present;	/* 0: absent (p NULL, len 0) */
};

/* One word of the line, from logfmt_next(). */
struct logfmt_pair {
	const char	*key;		/* into the line */
	size_t		 keylen;	/* 0: the word starts with = */
	const char	*val;		/* as logfmt_field's p */
	size_t		 vallen;
	size_t		 off;		/* where the word starts */
	int		 bare;		/* 1: a word without = */
};

/* An empty key set; free it (NULL is fine) after its scanners. */
struct logfmt_keys	*logfmt_keys_new(void);
void			 logfmt_keys_free(struct logfmt_keys *);

/*
 * Want key name[0..len), copied: returns its slot (0, 1, ... in the order
 * of first mention), the same slot for a name added before (as a name or
 * an alias), or -1 with a static *cause for an empty name or one that
 * holds a blank or =, which no line could have.
 */
int	logfmt_keys_add(struct logfmt_keys *, const char *name, size_t len,
	    const char **cause);

/*
 * Let name also fill slot (time = ts or timestamp): 0, or -1 with a
 * static *cause (a bad name as above, no such slot, or the name already
 * fills another slot). Adding a name to its own slot again is a no-op.
 */
int	logfmt_keys_alias(struct logfmt_keys *, int slot, const char *name,
	    size_t len, const char **cause);

/*
 * Let slot also take the line's leading words (rule 7); slot -1 makes a
 * new slot for them. Returns the slot, or -1 with a static *cause (no
 * such slot, or the leading words already go to another one).
 */
int	logfmt_keys_leading(struct logfmt_keys *, int slot,
	    const char **cause);

/*
 * Make name[0..len), a name added before, the claim name that
 * logfmt_claimed() looks for (a source's customer key; one at a time):
 * 0, or -1 with a static *cause when there is no such name. Like the
 * other logfmt_keys_*() calls, only before the first logfmt_new().
 */
int	logfmt_keys_claim(struct logfmt_keys *, const char *name, size_t len,
	    const char **cause);

/* Number of slots: logfmt_fields() returns that many. */
size_t	logfmt_keys_nslots(const struct logfmt_keys *);

/*
 * A scanner for lines of up to maxline bytes (longer ones work too, at
 * the cost of growing its buffer once to fit). keys is borrowed.
 */
struct logfmt	*logfmt_new(const struct logfmt_keys *keys,
		    size_t maxline);
void		 logfmt_free(struct logfmt *);	/* NULL is fine */

/*
 * Scan line[0..len) (any bytes: a newline in it is a blank) and fill the
 * fields. 0 when the line was read; -1 when it is refused (rule 8), with
 * the static reason in *why, the offset in *off (< len) and no field
 * present. The fields are valid until the next logfmt_scan() or
 * logfmt_free(). A value that needed no unescaping points into the line
 * (the caller's bytes, borrowed: valid while the line is), others into
 * the scanner's buffer (valid as the fields are).
 */
int	logfmt_scan(struct logfmt *, const char *line, size_t len,
	    const char **why, size_t *off);

/*
 * logfmt_scan() into fields[nslots], the caller's, instead of the
 * scanner's own: the fields stay valid as there, for as long as the
 * caller keeps that array (values in the scanner's buffer until the
 * next scan). -1 as there; else a read line, 0 or more of
 * LOGFMT_CLAIMED (logfmt_claimed() is 1) and LOGFMT_UNESCAPED
 * (logfmt_unescaped() is not 0). logfmt_fields() then returns fields.
 */
#define LOGFMT_CLAIMED		1
#define LOGFMT_UNESCAPED	2
int	logfmt_scan_into(struct logfmt *, struct logfmt_field *fields,
	    const char *line, size_t len, const char **why, size_t *off);

/* The fields of the last line scanned, indexed by slot; never NULL. */
const struct logfmt_field	*logfmt_fields(const struct logfmt *);

/*
 * 1 if the last line scanned was read (not refused) and has a word whose
 * key is the key set's claim name, with =, at the start of the line or
 * just after a blank; else 0. Such a line holds "NAME=" as
 * logfmt_has_key() looks for it; one without such a word may still.
 */
int	logfmt_claimed(const struct logfmt *);

/*
 * How many bytes of the last line's fields are unescaped values in the
 * scanner's buffer: 0 when every field present points into the line.
 */
size_t	logfmt_unescaped(const struct logfmt *);

/*
 * Whether line[0..len) holds key[0..klen) followed by = at its start or
 * just after a blank (rule 1): what makes a logfmt source claim a line
 * (cxwatch.rules(5), semantics 1). Reads no words: "KEY=" inside a
 * quoted value or after a word's closing " counts as written (after a
 * blank, and only then). klen > 0; nothing is kept.
 */
int	logfmt_has_key(const char *line, size_t len, const char *key,
	    size_t klen);

/*
 * The words of the last line scanned, in line order, one per call (for
 * -x): 1 and *pair, or 0 after the last one or when the line was
 * refused. Each logfmt_scan() starts the list again. Values are
 * unescaped into a part of the buffer of their own: every pair handed
 * out, and the fields, stay valid until the next logfmt_scan().
 */
int	logfmt_next(struct logfmt *, struct logfmt_pair *);

#endif
