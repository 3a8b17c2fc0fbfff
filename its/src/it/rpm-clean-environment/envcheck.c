#include <stdio.h>

int main(void) {
    puts("built with make's implicit rules");
    return 0;
}
