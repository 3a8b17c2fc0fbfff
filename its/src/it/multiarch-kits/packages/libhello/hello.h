const char *hello_greeting(void);
