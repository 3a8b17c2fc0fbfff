#include <stdio.h>
#include <string.h>

int main(void) {
    char name[128] = "world";
    char line[160];
    FILE *conf = fopen("/etc/hello.conf", "r");
    if (conf) {
        while (fgets(line, sizeof line, conf)) {
            if (strncmp(line, "name=", 5) == 0) {
                line[strcspn(line, "\n")] = '\0';
                snprintf(name, sizeof name, "%.120s", line + 5);
            }
        }
        fclose(conf);
    }
    printf("Hello, %s!\n", name);
    return 0;
}
