#include <stdio.h>
#include <vendor.h>
int main(void) { puts(vendor_greeting()); return 0; }
