#include "vendor.h"

int vendor_answer(void) {
    return 42;
}
