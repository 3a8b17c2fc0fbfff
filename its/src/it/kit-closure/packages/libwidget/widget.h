const char *widget_name(void);
