#include <stdio.h>
#include <hello.h>
int main(void) { puts(hello_greeting()); return 0; }
