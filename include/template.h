/*
 * template: reads the fields of a line laid out as a template says, for
 * sources with format = template: a web server's log_format, pasted.
 * Does no I/O, never prints, holds no global state.
 *
 * A template (struct template) is one or more layouts, compiled once
 * from the rules and read-only after: any number of threads may scan
 * lines with it at once. Its fields are those of all its layouts, one
 * per name. Scanning allocates nothing; the values point into the line.
 *
 * The template (words a manual can copy; numbers are cited in
 * template.c):
 *
 *  1. A layout is literal bytes with fields among them. A field is $
 *     and a name, or ${NAME}: a name is letters, digits and _, not
 *     starting with a digit; after a bare $ it is the longest such run.
 *     $$ is one literal $. Any other $ is an error.
 *  2. Two fields must have at least one literal byte between them, and a
 *     name may be given to one field of a layout only.
 *  3. A line fits a layout when, read from its first byte, every
 *     part is there in turn: a literal, byte for byte; a field followed
 *     by a literal, the shortest run of bytes (perhaps none) that the
 *     whole literal follows, the field's value, and then that literal;
 *     a field at the template's end, every byte left, to the line's end.
 *     Nothing is tried twice: where a later part is missing, the line
 *     does not fit, although another split of the earlier fields might
 *     have fitted. When the layout ends with a literal, the line ends
 *     with it: no bytes may follow.
 *  4. A line fits the template when it fits one of its layouts; the
 *     first that it fits, in the order they were added, gives the
 *     values, and the fields that layout does not have are absent.
 */
#ifndef CXW_TEMPLATE_H
#define CXW_TEMPLATE_H

#include <stddef.h>

struct template;

/* A field's value in the line scanned; p is NULL (len 0) when absent. */
struct template_value {
	const char	*p;
	size_t		 len;
};

struct template	*template_new(void);
void		 template_free(struct template *);	/* NULL is fine */
/*
 * Add a layout: 0, or -1 and *cause (malloc'd: "two fields with no text
 * between them (at byte 7)"), leaving t as it was.
 */
int		 template_add(struct template *, const char *text,
		    char **cause);
size_t		 template_nlayouts(const struct template *);
/* Whether layout has field. */
int		 template_in(const struct template *, size_t layout,
		    size_t field);

/* Fields, numbered from 0 in the order they are first written. */
size_t		 template_nfields(const struct template *);
const char	*template_name(const struct template *, size_t field);
/* The field called name, or -1. */
int		 template_field(const struct template *, const char *name);

/*
 * Whether line fits (rule 4): the layout it fits, with out[i] the value
 * of field i ([nfields]); -1 when it fits none (out is then partly
 * written).
 */
int		 template_scan(const struct template *, const char *line,
		    size_t len, struct template_value *out);

#endif
