#include "hello.h"
const char *hello_greeting(void) { return "hello from libhello"; }
