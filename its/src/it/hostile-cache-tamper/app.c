#include <stdio.h>
#include <vendor.h>

int main(void) {
    printf("answer %d\n", vendor_answer());
    return 0;
}
