#include <stdio.h>
#include <string.h>
#include <greet.h>

static const char *configured_name(void) {
    static char name[160] = "world";
    FILE *conf = fopen("/etc/greet.conf", "r");
    if (conf) {
        char line[160];
        while (fgets(line, sizeof line, conf)) {
            if (strncmp(line, "name=", 5) == 0) {
                line[strcspn(line, "\n")] = '\0';
                snprintf(name, sizeof name, "%s", line + 5);
            }
        }
        fclose(conf);
    }
    return name;
}

int main(void) {
    const char *salutation = "Hello";
    char text[256];
    greet_format(text, sizeof text, salutation, configured_name());
    puts(text);
    return 0;
}
