#ifndef VENDOR_H
#define VENDOR_H
int vendor_answer(void);
#endif
