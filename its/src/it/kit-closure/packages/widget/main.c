#include <stdio.h>
#include <widget.h>
int main(void) { puts(widget_name()); return 0; }
