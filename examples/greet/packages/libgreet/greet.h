#ifndef GREET_H
#define GREET_H

#include <stddef.h>

/* Writes "<salutation>, <name>!" into buf; returns the length it needed. */
int greet_format(char *buf, size_t size, const char *salutation, const char *name);

#endif
