#include <stdio.h>
#include "greet.h"

int greet_format(char *buf, size_t size, const char *salutation, const char *name) {
    return snprintf(buf, size, "%s, %s!", salutation, name);
}
