/*
 * jsonl: fields by name from one line of JSON Lines, for format = json
 * sources. Used by the matcher; does no I/O, prints nothing.
 *
 * Two objects. A struct jsonl_paths is the set of field paths a source's
 * rules ask for, compiled once when the rules load; it is immutable and
 * may be shared by threads. A struct jsonl is one matcher's parser: it
 * borrows a jsonl_paths (which must outlive it), allocates all its scratch
 * memory in jsonl_new(), and allocates nothing per line.
 *
 * jsonl_parse() reads the whole line in one pass and checks all of it: a
 * line is parsed only if it is exactly one JSON object (RFC 8259) with
 * optional blanks (space, tab, CR, LF) around it. Refused, with a reason
 * and a byte offset: anything else (an array, a number, two objects,
 * bytes after the object, a blank line); a syntax error; a control byte
 * (< 0x20) in a string; invalid UTF-8 in a string (overlong forms,
 * surrogates encoded in UTF-8, bytes past U+10FFFF, truncated sequences,
 * lead bytes C0, C1, F5-FF); an escape other than \" \\ \/ \b \f \n \r
 * \t \uXXXX; a lone surrogate (\uD800-\uDBFF not followed by an escaped
 * \uDC00-\uDFFF, or \uDC00-\uDFFF alone); objects and arrays nested more
 * than JSONL_MAXDEPTH deep (the line's object is depth 1); a line longer
 * than the maxlen given to jsonl_new(). A UTF-8 byte order mark is not
 * JSON: the reader strips it. Values of paths not asked for are checked
 * as strictly as the others, but never decoded.
 *
 * Paths. A path is keys separated by dots, from the line's object down:
 * "customer", "data.object.outcome.type". "\." in a key is a dot and "\\"
 * a backslash; no other backslash is allowed. A key is compared, byte for
 * byte, with the object's key decoded (so "\u00e9" in the line matches
 * "é", UTF-8, in the path). A key that is a decimal number without
 * leading zeros below 2^31 ("0", "12") also selects that element of an
 * array ("items.0.code": the code of the first item). Refused by
 * jsonl_paths_new(): an empty path or key ("", "a..b", ".a", "a."), a
 * backslash before anything but "." or "\", a control byte, invalid
 * UTF-8, more than JSONL_MAXDEPTH keys. The same path given twice reads
 * the same value.
 *
 * Values (jsonl_value(), per path, in the order the paths were given):
 * present or not; a string decoded (every escape; \uXXXX to UTF-8,
 * surrogate pairs joined; \u0000 gives a NUL byte); a number, true, false
 * or null as its text in the line; an object or an array as its text,
 * exactly as in the line, blanks and all. A value points into the line
 * when it needed no decoding, else into the parser's buffer; both are
 * valid until the next jsonl_parse() or jsonl_free(), and only while the
 * line's bytes are. A value is not NUL-terminated.
 *
 * Duplicate keys: the last one wins, as in most parsers (Python's json,
 * jansson, JavaScript): a path through an earlier member of the same name
 * reads nothing from it, even when the last member has no such field
 * ({"a":{"b":1},"a":2}: "a.b" is absent, "a" is 2).
 *
 * Unwrap: jsonl_paths_new()'s unwrap path names a field whose value is
 * itself a JSON object, written as a string (Docker and Kubernetes write
 * {"log":"{\"customer\":\"C1\"}\n","stream":"stdout"}) or as an object.
 * The line is parsed as above, then the field's decoded text is parsed as
 * a line of its own, with the same rules and limits, and every path is
 * looked up in it (none in the outer object). A line whose unwrap field is
 * absent, or is neither a string nor an object, is refused.
 */
#ifndef CXW_JSONL_H
#define CXW_JSONL_H

#include <stddef.h>

#define JSONL_MAXDEPTH	64	/* nesting, and keys in a path */

struct jsonl_paths;
struct jsonl;

enum jsonl_type {
	JSONL_ABSENT,
	JSONL_STRING,
	JSONL_NUMBER,
	JSONL_TRUE,
	JSONL_FALSE,
	JSONL_NULL,
	JSONL_OBJECT,
	JSONL_ARRAY
};

struct jsonl_value {
	const char	*p;		/* NULL when absent */
	size_t		 len;
	const char	*raw;		/* the value as the parsed text has it
					   (a string without its quotes, but
					   escaped): in the line, or in the
					   unwrapped text */
	size_t		 rawlen;
	enum jsonl_type	 type;
	int		 present;	/* type != JSONL_ABSENT */
};

/* Why jsonl_paths_new() refused: path index (npaths: unwrap), offset. */
struct jsonl_badpath {
	const char	*why;		/* static text */
	size_t		 path;
	size_t		 off;		/* byte offset in that path's text */
};

/*
 * Why the last jsonl_parse() refused its line. off is the byte offset in
 * the line where the line stopped being JSON. When inner is set, the
 * unwrapped text is at fault: inner_off is the offset in that (decoded)
 * text, and off is where the unwrap field's value starts in the line.
 */
struct jsonl_fail {
	const char	*why;		/* static text */
	size_t		 off;
	int		 inner;
	size_t		 inner_off;
};

/*
 * Compile npaths paths (NUL-terminated texts; copied) and, unless unwrap
 * is NULL, the path to unwrap. NULL and *bad filled on a path that cannot
 * be valid. Caller frees with jsonl_paths_free().
 */
struct jsonl_paths	*jsonl_paths_new(const char *const *paths,
			    size_t npaths, const char *unwrap,
			    struct jsonl_badpath *bad);
void			 jsonl_paths_free(struct jsonl_paths *); /* NULL ok */
size_t			 jsonl_paths_count(const struct jsonl_paths *);

/* A parser for lines of up to maxlen bytes, reading the paths of p. */
struct jsonl		*jsonl_new(const struct jsonl_paths *p, size_t maxlen);
void			 jsonl_free(struct jsonl *);	/* NULL is fine */

/*
 * Parse line[0..len) (no NUL needed; the bytes are only read). 0: the
 * values are set; -1: refused, see jsonl_failure(), and every value is
 * absent.
 */
int			 jsonl_parse(struct jsonl *, const char *line,
			    size_t len);

/* Path i's value from the last jsonl_parse(); i < jsonl_paths_count(). */
const struct jsonl_value *jsonl_value(const struct jsonl *, size_t i);

/* Why the last jsonl_parse() returned -1 (why is NULL after a 0). */
const struct jsonl_fail	*jsonl_failure(const struct jsonl *);

#endif
