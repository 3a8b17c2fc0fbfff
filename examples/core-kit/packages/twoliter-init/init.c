/*
 * A first process for twoliter example images: it reports what a booted image should prove and
 * powers the machine off. Every line starts with "twoliter-init:" so tests can find them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define SETTINGS "/usr/share/twoliter/settings-defaults.toml"
#define BANNER_KEY "settings.init.banner"

/* Printed at boot, so the page holding it is read through dm-verity (the tamper test flips it). */
static const char MARKER[] = "TWOLITER-INIT-MARKER-7f3a9c";

static void print_file(const char *path, const char *prefix) {
    char line[512];
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        printf("twoliter-init: cannot read %s: %s\n", path, strerror(errno));
        return;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        printf("twoliter-init: %s%s\n", prefix, line);
    }
    fclose(f);
}

static int read_line(const char *path, char *out, size_t size) {
    FILE *f = fopen(path, "r");
    if (f == NULL || fgets(out, (int) size, f) == NULL) {
        if (f != NULL) {
            fclose(f);
        }
        out[0] = '\0';
        return -1;
    }
    fclose(f);
    out[strcspn(out, "\n")] = '\0';
    return 0;
}

/* The banner value from the merged default settings: "settings.init.banner = <value>". */
static void print_banner_setting(void) {
    char line[512];
    size_t key = strlen(BANNER_KEY);
    FILE *f = fopen(SETTINGS, "r");
    if (f == NULL) {
        printf("twoliter-init: cannot read %s: %s\n", SETTINGS, strerror(errno));
        return;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, BANNER_KEY, key) == 0 && strncmp(line + key, " = ", 3) == 0) {
            printf("twoliter-init: SETTING %s\n", line);
        }
    }
    fclose(f);
}

int main(void) {
    struct statvfs fs;
    struct stat root;
    char dm_dev[64], dm_name[128], root_dev[64];

    mount("proc", "/proc", "proc", 0, NULL);
    mount("sysfs", "/sys", "sysfs", 0, NULL);
    if (access("/dev/console", F_OK) != 0) {
        mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
    }
    printf("\ntwoliter-init: booted (%s)\n", MARKER);
    print_file("/usr/lib/os-release", "OS ");
    print_banner_setting();

    printf("twoliter-init: ROOT_READONLY=%s\n",
           statvfs("/", &fs) == 0 && (fs.f_flag & ST_RDONLY) ? "yes" : "no");
    if (stat("/", &root) == 0) {
        snprintf(root_dev, sizeof root_dev, "%u:%u", major(root.st_dev), minor(root.st_dev));
    } else {
        snprintf(root_dev, sizeof root_dev, "unknown");
    }
    read_line("/sys/block/dm-0/dev", dm_dev, sizeof dm_dev);
    read_line("/sys/block/dm-0/dm/name", dm_name, sizeof dm_name);
    printf("twoliter-init: ROOT_DEV=%s\n", root_dev);
    printf("twoliter-init: ROOT_IS_DM0=%s (dm-0 is %s, named '%s')\n",
           dm_dev[0] != '\0' && strcmp(dm_dev, root_dev) == 0 ? "yes" : "no", dm_dev, dm_name);
    printf("twoliter-init: EFI_BOOT=%s\n", access("/sys/firmware/efi", F_OK) == 0 ? "yes" : "no");
    print_file("/proc/cmdline", "CMDLINE ");
    printf("twoliter-init: powering off\n");
    fflush(stdout);
    sync();
    reboot(RB_POWER_OFF);
    return 1;
}
