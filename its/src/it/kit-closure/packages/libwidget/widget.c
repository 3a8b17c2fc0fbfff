#include "widget.h"
const char *widget_name(void) { return "a widget from libwidget"; }
