/*
 * A first process for twoliter example images: it applies the user data the machine was started
 * with (configuration files the host rendered from it, on an extra disk), reports what a booted
 * image should prove, confirms the A/B bank it booted from, and powers the machine off. Every line
 * starts with "twoliter-init:" so tests can find them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
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

/*
 * A/B banks (docs/booting.md, "A/B banks: one try and rollback"). GRUB keeps the state in a GRUB
 * environment block, a 1024-byte file on the EFI system partition. This kernel has no FAT driver,
 * and GRUB reads and writes the block's sectors in place anyway, so init finds those sectors on the
 * raw partition: the one 512-byte-aligned run of 1024 bytes that is a valid block. Confirming the
 * bank GRUB is trying makes it the bank that boots from now on; a try that is never confirmed is
 * undone by GRUB at the next boot.
 */
#define ENV_SIZE 1024
#define ENV_HEADER "# GRUB Environment Block\n"
#define ESP_NAME "EFI-SYSTEM"
/* The plugin's EFI system partitions have 5 or 10 MiB; a larger one is only scanned this far. */
#define SCAN_LIMIT (256LL << 20)
#define MAX_VARS 32

struct env_var {
    char name[64];
    char value[ENV_SIZE];
};

struct env {
    struct env_var vars[MAX_VARS];
    int count;
};

/*
 * The bank in a kernel command line: "twoliter.bank=A" or "=B" as a whole word, else 0. GRUB puts
 * its parameter after the image's own kernel parameters, so the last one counts (as the kernel
 * itself takes the last of a repeated parameter).
 */
static char bank_in_cmdline(const char *cmdline) {
    const char *key = "twoliter.bank=";
    char found = 0;
    for (const char *at = strstr(cmdline, key); at != NULL; at = strstr(at + 1, key)) {
        char bank = at[strlen(key)], after = bank == '\0' ? '\0' : at[strlen(key) + 1];
        int word_start = at == cmdline || at[-1] == ' ';
        int word_end = after == '\0' || after == ' ' || after == '\n';
        if (word_start && word_end && (bank == 'A' || bank == 'B')) {
            found = bank;
        }
    }
    return found;
}

/* The bank GRUB booted, from /proc/cmdline. */
static char booted_bank(void) {
    char cmdline[4096];
    FILE *f = fopen("/proc/cmdline", "r");
    size_t n = f == NULL ? 0 : fread(cmdline, 1, sizeof cmdline - 1, f);
    if (f != NULL) {
        fclose(f);
    }
    cmdline[n] = '\0';
    return bank_in_cmdline(cmdline);
}

/*
 * The block device of the partition named EFI-SYSTEM, from the partition names the kernel read from
 * the GPT (PARTNAME in uevent). Two such partitions (two disks from the same image) would make the
 * state ambiguous: refused. Returns the size in bytes, or -1 with *why set.
 */
static long long find_esp(char *dev, size_t size, const char **why) {
    char path[512], line[256], devname[256];
    long long bytes = -1;
    int found = 0;
    DIR *dir = opendir("/sys/class/block");
    struct dirent *entry;
    if (dir == NULL) {
        *why = "cannot list /sys/class/block";
        return -1;
    }
    while ((entry = readdir(dir)) != NULL) {
        int is_esp = 0;
        FILE *f;
        if (entry->d_name[0] == '.') {
            continue;
        }
        snprintf(path, sizeof path, "/sys/class/block/%s/uevent", entry->d_name);
        if ((f = fopen(path, "r")) == NULL) {
            continue;
        }
        devname[0] = '\0';
        while (fgets(line, sizeof line, f) != NULL) {
            line[strcspn(line, "\n")] = '\0';
            if (strcmp(line, "PARTNAME=" ESP_NAME) == 0) {
                is_esp = 1;
            } else if (strncmp(line, "DEVNAME=", 8) == 0) {
                snprintf(devname, sizeof devname, "%s", line + 8);
            }
        }
        fclose(f);
        if (!is_esp || devname[0] == '\0' || strchr(devname, '/') != NULL) {
            continue;
        }
        found++;
        snprintf(dev, size, "/dev/%s", devname);
        snprintf(path, sizeof path, "/sys/class/block/%s/size", entry->d_name);
        bytes = read_line(path, line, sizeof line) == 0 ? atoll(line) * 512 : -1;
    }
    closedir(dir);
    if (found != 1) {
        *why = found == 0 ? "no partition named " ESP_NAME : "more than one partition named " ESP_NAME;
        return -1;
    }
    if (bytes < ENV_SIZE) {
        *why = "cannot read the size of the " ESP_NAME " partition";
        return -1;
    }
    return bytes;
}

/*
 * Reads a block as GRUB writes it: the header, then "name=value\n" lines (a backslash escapes the
 * next byte) and comment lines starting with '#', then '#' to the end. Anything else is not a
 * block: the header's text also appears inside GRUB's own binary on the same partition.
 */
static int env_parse(const unsigned char *block, struct env *env) {
    size_t at = strlen(ENV_HEADER);
    env->count = 0;
    if (memcmp(block, ENV_HEADER, at) != 0) {
        return -1;
    }
    while (at < ENV_SIZE) {
        const unsigned char *newline = memchr(block + at, '\n', ENV_SIZE - at);
        struct env_var *var;
        size_t name_length = 0, value_length = 0;
        if (block[at] == '#') {
            if (newline != NULL) {
                at = (size_t) (newline - block) + 1; /* a comment line */
                continue;
            }
            for (; at < ENV_SIZE; at++) { /* the padding */
                if (block[at] != '#') {
                    return -1;
                }
            }
            break;
        }
        if (env->count == MAX_VARS) {
            return -1;
        }
        var = &env->vars[env->count++];
        while (at < ENV_SIZE && block[at] != '=' && block[at] != '\n') {
            if (name_length + 1 >= sizeof var->name) {
                return -1;
            }
            var->name[name_length++] = (char) block[at++];
        }
        if (at == ENV_SIZE || block[at] != '=' || name_length == 0) {
            return -1;
        }
        var->name[name_length] = '\0';
        for (at++; at < ENV_SIZE && block[at] != '\n'; at++) {
            if (block[at] == '\\' && ++at == ENV_SIZE) {
                return -1;
            }
            if (block[at] == '\0') {
                return -1;
            }
            var->value[value_length++] = (char) block[at];
        }
        if (at == ENV_SIZE) {
            return -1; /* a value that runs into the end */
        }
        var->value[value_length] = '\0';
        at++;
    }
    return 0;
}

/* The block for these variables, '#'-padded to 1024 bytes; -1 if they do not fit (GRUB cannot grow it). */
static int env_render(const struct env *env, unsigned char *block) {
    size_t at = strlen(ENV_HEADER);
    memcpy(block, ENV_HEADER, at);
    for (int i = 0; i < env->count; i++) {
        const struct env_var *var = &env->vars[i];
        size_t name_length = strlen(var->name);
        if (at + name_length + 1 > ENV_SIZE) {
            return -1;
        }
        memcpy(block + at, var->name, name_length);
        at += name_length;
        block[at++] = '=';
        for (const char *c = var->value; *c != '\0'; c++) {
            if ((*c == '\\' || *c == '\n') && at < ENV_SIZE) {
                block[at++] = '\\';
            }
            if (at >= ENV_SIZE) {
                return -1;
            }
            block[at++] = (unsigned char) *c;
        }
        if (at >= ENV_SIZE) {
            return -1;
        }
        block[at++] = '\n';
    }
    memset(block + at, '#', ENV_SIZE - at);
    return 0;
}

static const char *env_get(const struct env *env, const char *name) {
    for (int i = 0; i < env->count; i++) {
        if (strcmp(env->vars[i].name, name) == 0) {
            return env->vars[i].value;
        }
    }
    return "";
}

static int env_set(struct env *env, const char *name, const char *value) {
    struct env_var *var = NULL;
    for (int i = 0; i < env->count && var == NULL; i++) {
        if (strcmp(env->vars[i].name, name) == 0) {
            var = &env->vars[i];
        }
    }
    if (var == NULL) {
        if (env->count == MAX_VARS) {
            return -1;
        }
        var = &env->vars[env->count++];
        snprintf(var->name, sizeof var->name, "%s", name);
    }
    snprintf(var->value, sizeof var->value, "%s", value);
    return 0;
}

/* Finds the one valid block on the partition; returns its offset, or -1 with *why set. */
static long long find_block(int fd, long long size, unsigned char *block, struct env *env, const char **why) {
    unsigned char candidate[ENV_SIZE];
    long long found = -1;
    if (size > SCAN_LIMIT) {
        size = SCAN_LIMIT;
    }
    for (long long at = 0; at + ENV_SIZE <= size; at += 512) {
        if (pread(fd, candidate, ENV_SIZE, at) != ENV_SIZE) {
            *why = "cannot read the EFI system partition";
            return -1;
        }
        if (memcmp(candidate, ENV_HEADER, strlen(ENV_HEADER)) != 0 || env_parse(candidate, env) != 0) {
            continue;
        }
        if (found >= 0) {
            *why = "two GRUB environment blocks on the EFI system partition";
            return -1;
        }
        found = at;
        memcpy(block, candidate, ENV_SIZE);
    }
    if (found < 0) {
        *why = "no GRUB environment block on the EFI system partition";
        return -1;
    }
    env_parse(block, env);
    return found;
}

/*
 * systemd-boot's A/B state (a UKI image with banks, docs/booting.md): a bank's UKI is
 * EFI/Linux/twoliter-<bank>.efi on the EFI system partition, and a try is the same name with a boot
 * counter, "+LEFT-DONE", which systemd-boot counts down by renaming the file before it boots it.
 * Confirming is dropping the counter. The example kernel has no FAT driver, so init renames the
 * file in place, in its directory entries: both names need two long-name (LFN) entries (13
 * characters each), so the new name is written over the old one's two entries, and the short 8.3
 * entry after them (and the LFN checksum of it) stays as it is. A real OS would mount the partition
 * and rename(2) the file.
 */
#define DIRENT 32
#define LFN_ATTR 0x0F
#define LFN_CHARS 13
#define ENTRY_PREFIX "twoliter-"

/* Offsets of the 13 UCS-2 characters in an LFN entry. */
static const int lfn_offsets[LFN_CHARS] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

/* The checksum of an 8.3 name that its LFN entries carry. */
static unsigned char short_name_checksum(const unsigned char *short_entry) {
    unsigned char sum = 0;
    for (int i = 0; i < 11; i++) {
        sum = (unsigned char) (((sum & 1) << 7) + (sum >> 1) + short_entry[i]);
    }
    return sum;
}

static int is_lfn(const unsigned char *e, unsigned char seq, unsigned char checksum) {
    return e[0] == seq && e[11] == LFN_ATTR && e[12] == 0 && e[13] == checksum && e[26] == 0 && e[27] == 0;
}

/*
 * The long name of a file whose directory entries start at p: exactly two LFN entries (0x42, then
 * 0x01) and the live short entry they belong to. ASCII only; returns 0, or -1 if p is not that.
 */
static int two_entry_name(const unsigned char *p, char *name, size_t size) {
    const unsigned char *last = p, *first = p + DIRENT, *short_entry = p + 2 * DIRENT;
    size_t n = 0;
    if (size < 2 * LFN_CHARS + 1 || short_entry[0] == 0 || short_entry[0] == 0xE5 || short_entry[11] == LFN_ATTR) {
        return -1;
    }
    unsigned char sum = short_name_checksum(short_entry);
    if (!is_lfn(last, 0x42, sum) || !is_lfn(first, 0x01, sum)) {
        return -1;
    }
    for (int part = 0; part < 2; part++) {
        const unsigned char *e = part == 0 ? first : last;
        for (int i = 0; i < LFN_CHARS; i++) {
            unsigned int c = e[lfn_offsets[i]] | (e[lfn_offsets[i] + 1] << 8);
            if (c == 0) {
                name[n] = '\0';
                return part == 1 && n > LFN_CHARS ? 0 : -1;
            }
            if (c < 0x20 || c > 0x7E) {
                return -1;
            }
            name[n++] = (char) c;
        }
    }
    return -1; /* 26 characters without an end: not one of ours */
}

/*
 * What a long name is for bank (lower case): 1 the bank's UKI with a boot counter
 * ("twoliter-b+1-0.efi", "+0-1", "+3"), 2 without ("twoliter-b.efi"), 0 neither.
 */
static int entry_kind(const char *name, char bank) {
    size_t prefix = strlen(ENTRY_PREFIX);
    if (strncmp(name, ENTRY_PREFIX, prefix) != 0 || name[prefix] != bank) {
        return 0;
    }
    const char *rest = name + prefix + 1;
    if (strcmp(rest, ".efi") == 0) {
        return 2;
    }
    if (*rest++ != '+' || *rest < '0' || *rest > '9') {
        return 0;
    }
    while (*rest >= '0' && *rest <= '9') {
        rest++;
    }
    if (*rest == '-') {
        rest++;
        if (*rest < '0' || *rest > '9') {
            return 0;
        }
        while (*rest >= '0' && *rest <= '9') {
            rest++;
        }
    }
    return strcmp(rest, ".efi") == 0 ? 1 : 0;
}

/*
 * Writes name (2 to 26 ASCII characters, more than 13) into the two LFN entries at p, keeping
 * their sequence numbers and checksum: a NUL after the last character, 0xFFFF after that.
 */
static int rename_two_entries(unsigned char *p, const char *name) {
    size_t length = strlen(name);
    if (length <= LFN_CHARS || length >= 2 * LFN_CHARS) {
        return -1;
    }
    for (size_t i = 0; i < 2 * LFN_CHARS; i++) {
        unsigned char *e = i < LFN_CHARS ? p + DIRENT : p;
        int at = lfn_offsets[i % LFN_CHARS];
        unsigned int c = i < length ? (unsigned char) name[i] : i == length ? 0 : 0xFFFF;
        e[at] = (unsigned char) (c & 0xFF);
        e[at + 1] = (unsigned char) (c >> 8);
    }
    return 0;
}

/*
 * Confirms the booted bank's UKI entry on the EFI system partition (fd, size bytes): finds the
 * bank's one live entry and, if it carries a counter, renames it to twoliter-<bank>.efi.
 * Directory entries are 32-byte aligned; the scan reads in chunks that overlap by one entry set.
 */
static void confirm_entry(int fd, long long size, char bank_upper) {
    static unsigned char chunk[(1 << 20) + 3 * DIRENT];
    char name[2 * LFN_CHARS + 1], bank = (char) (bank_upper - 'A' + 'a'), good[32];
    long long found = -1;
    int kind = 0, live = 0;
    unsigned char entries[2 * DIRENT];
    if (size > SCAN_LIMIT) {
        size = SCAN_LIMIT;
    }
    for (long long base = 0; base < size; base += 1 << 20) {
        ssize_t n = pread(fd, chunk, sizeof chunk, base);
        if (n < 0) {
            printf("twoliter-init: BANK_ERROR=cannot read the EFI system partition: %s\n", strerror(errno));
            return;
        }
        for (long long at = 0; at < (1 << 20) && at + 3 * DIRENT <= n; at += DIRENT) {
            int k;
            if (two_entry_name(chunk + at, name, sizeof name) != 0 || (k = entry_kind(name, bank)) == 0) {
                continue;
            }
            live++;
            found = base + at;
            kind = k;
            memcpy(entries, chunk + at, sizeof entries);
        }
    }
    if (live != 1) {
        printf("twoliter-init: BANK_ERROR=%s entry for bank %c in EFI/Linux\n", live == 0 ? "no" : "more than one",
               bank_upper);
        return;
    }
    if (kind == 2) {
        printf("twoliter-init: BANK_CONFIRMED=already\n");
        return;
    }
    snprintf(good, sizeof good, ENTRY_PREFIX "%c.efi", bank);
    if (rename_two_entries(entries, good) != 0) {
        printf("twoliter-init: BANK_ERROR=cannot rename the entry\n");
    } else if (pwrite(fd, entries, sizeof entries, found) != (ssize_t) sizeof entries || fsync(fd) != 0) {
        printf("twoliter-init: BANK_ERROR=cannot write the entry: %s\n", strerror(errno));
    } else {
        printf("twoliter-init: BANK_CONFIRMED=%c (%s is now %s)\n", bank_upper, name, good);
    }
}

/*
 * Confirms the bank GRUB booted if it is the one being tried, or, on an EFI system partition without
 * GRUB's state, the bank systemd-boot booted (confirm_entry). Failures are reported and the boot
 * goes on: an unconfirmed try is rolled back by the loader, which is the safe outcome.
 */
static void confirm_bank(void) {
    static struct env env;
    unsigned char block[ENV_SIZE];
    char dev[300], bank[2] = {0, 0};
    const char *why = NULL;
    long long size, offset;
    int fd;

    bank[0] = booted_bank();
    if (bank[0] == 0) {
        return; /* not booted by a GRUB that chooses banks */
    }
    printf("twoliter-init: BANK=%s\n", bank);
    if ((size = find_esp(dev, sizeof dev, &why)) < 0) {
        printf("twoliter-init: BANK_ERROR=%s\n", why);
        return;
    }
    if ((fd = open(dev, O_RDWR | O_CLOEXEC)) < 0) {
        printf("twoliter-init: BANK_ERROR=cannot open %s: %s\n", dev, strerror(errno));
        return;
    }
    if ((offset = find_block(fd, size, block, &env, &why)) < 0) {
        if (strncmp(why, "no GRUB", 7) == 0) {
            confirm_entry(fd, size, bank[0]); /* no GRUB state: systemd-boot's, in file names */
        } else {
            printf("twoliter-init: BANK_ERROR=%s (%s)\n", why, dev);
        }
        close(fd);
        return;
    }
    const char *fallback = env_get(&env, "twoliter_fallback");
    if (strcmp(fallback, "A") == 0 || strcmp(fallback, "B") == 0) {
        printf("twoliter-init: FELL_BACK_FROM=%s\n", fallback);
    }
    if (strcmp(env_get(&env, "twoliter_try"), bank) == 0) {
        if (env_set(&env, "twoliter_bank", bank) != 0 || env_set(&env, "twoliter_try", "") != 0
            || env_set(&env, "twoliter_tries", "") != 0 || env_render(&env, block) != 0) {
            printf("twoliter-init: BANK_ERROR=the confirmed state does not fit the block\n");
        } else if (pwrite(fd, block, ENV_SIZE, offset) != ENV_SIZE || fsync(fd) != 0) {
            printf("twoliter-init: BANK_ERROR=cannot write the block on %s: %s\n", dev, strerror(errno));
        } else {
            printf("twoliter-init: BANK_CONFIRMED=%s\n", bank);
        }
    } else if (strcmp(env_get(&env, "twoliter_bank"), bank) == 0) {
        printf("twoliter-init: BANK_CONFIRMED=already\n");
    } else {
        printf("twoliter-init: BANK_ERROR=bank %s is neither confirmed nor being tried\n", bank);
    }
    close(fd);
}

/*
 * User data (twoliter:run -Dtwoliter.run.userData=fleet.toml): the host checks the user data against
 * the image's settings models and renders the configuration files from it, then attaches one more
 * raw disk holding a ustar archive: "twoliter-user-data.toml" first (its name is what marks the
 * disk), then "rendered/<path>" for each configuration file, which replaces /<path> for this boot.
 * The root is read-only, so each file is copied to a tmpfs on /run and bind-mounted over the
 * image's. Whatever the disk says is bounded and checked: it comes from outside the image.
 */
#define TAR_BLOCK 512
#define TAR_NAME_MAX (155 + 1 + 100 + 1) /* prefix '/' name NUL */
#define USER_DATA_NAME "twoliter-user-data.toml"
#define RENDERED "rendered/"
#define RUN_DIR "/run/twoliter"
#define MAX_ENTRIES 64
#define MAX_ENTRY_BYTES (1LL << 20)
#define MAX_ARCHIVE_BYTES (16LL << 20)

struct tar_entry {
    char name[TAR_NAME_MAX];
    char type;
    unsigned int mode;
    long long size;
    long long data; /* where the content starts */
};

/*
 * A numeric field as tar writes it: octal digits, maybe after spaces, then NULs or spaces to the
 * field's end. GNU's base-256 form (first byte 0x80 or 0xff) is not octal, so it is refused too,
 * as is anything above limit.
 */
static int tar_octal(const unsigned char *field, size_t length, unsigned long long limit,
                     unsigned long long *out) {
    unsigned long long value = 0;
    size_t at = 0, digits = 0;
    if (limit > ULLONG_MAX / 8) {
        return -1; /* value * 8 below could overflow */
    }
    while (at < length && field[at] == ' ') {
        at++;
    }
    for (; at < length && field[at] >= '0' && field[at] <= '7'; at++, digits++) {
        value = value * 8 + (unsigned int) (field[at] - '0');
        if (value > limit) {
            return -1;
        }
    }
    if (digits == 0) {
        return -1;
    }
    for (; at < length; at++) {
        if (field[at] != '\0' && field[at] != ' ') {
            return -1;
        }
    }
    *out = value;
    return 0;
}

/* The header checksum: the sum of the header's bytes, its own field counted as spaces. */
static int tar_checksum_ok(const unsigned char *header) {
    unsigned long long stored;
    unsigned long sum = 0;
    if (tar_octal(header + 148, 8, 255 * TAR_BLOCK, &stored) != 0) {
        return 0;
    }
    for (int i = 0; i < TAR_BLOCK; i++) {
        sum += i >= 148 && i < 156 ? ' ' : header[i];
    }
    return sum == stored;
}

static int tar_is_end(const unsigned char *header) {
    for (int i = 0; i < TAR_BLOCK; i++) {
        if (header[i] != 0) {
            return 0;
        }
    }
    return 1;
}

/* POSIX ustar: magic "ustar" and its NUL (GNU's own format writes "ustar  " and is not this one). */
static int tar_header_ok(const unsigned char *header) {
    return memcmp(header + 257, "ustar", 6) == 0 && tar_checksum_ok(header);
}

/* prefix "/" name, each field NUL-terminated only when shorter than the field. */
static void tar_name(const unsigned char *header, char *name) {
    size_t prefix = strnlen((const char *) header + 345, 155), at = 0;
    size_t length = strnlen((const char *) header, 100);
    if (prefix > 0) {
        memcpy(name, header + 345, prefix);
        at = prefix;
        name[at++] = '/';
    }
    memcpy(name + at, header, length);
    name[at + length] = '\0';
}

/* The first block of the user data disk; any other disk (the image's own) starts otherwise. */
static int is_user_data_header(const unsigned char *header) {
    return memcmp(header, USER_DATA_NAME, sizeof USER_DATA_NAME) == 0 && header[345] == '\0'
        && tar_header_ok(header);
}

static int tar_is_file(char type) {
    return type == '0' || type == '\0';
}

/* The header at offset: 1 an entry, 0 the end of the archive, -1 with *why set. */
static int tar_read_header(int fd, long long offset, struct tar_entry *entry, const char **why) {
    unsigned char header[TAR_BLOCK];
    unsigned long long size, mode;
    ssize_t n = pread(fd, header, TAR_BLOCK, offset);
    if (n != TAR_BLOCK) {
        *why = n < 0 ? "cannot read the archive" : "the archive ends before its end blocks";
        return -1;
    }
    if (tar_is_end(header)) {
        return 0;
    }
    if (!tar_header_ok(header)) {
        *why = "a header is not a ustar header with a valid checksum";
        return -1;
    }
    if (tar_octal(header + 124, 12, MAX_ENTRY_BYTES, &size) != 0) {
        *why = "an entry's size is not an octal number of at most 1 MiB";
        return -1;
    }
    /* Some writers keep the file type bits (0100644) in the mode field; only the permissions count. */
    if (tar_octal(header + 100, 8, 0177777, &mode) != 0) {
        *why = "an entry's mode is not an octal file mode";
        return -1;
    }
    tar_name(header, entry->name);
    entry->type = (char) header[156];
    entry->mode = (unsigned int) (mode & 07777);
    entry->size = (long long) size;
    entry->data = offset + TAR_BLOCK;
    return 1;
}

/*
 * Reads every header to the end blocks before anything is applied, so that a damaged or oversized
 * archive changes nothing. Returns the number of entries, or -1 with *why and *where (the offset of
 * the header at fault) set.
 */
static int tar_scan(int fd, struct tar_entry *entries, const char **why, long long *where) {
    long long offset = 0;
    int count = 0;
    for (int i = 0; i <= MAX_ENTRIES; i++) {
        struct tar_entry entry;
        int found;
        *where = offset;
        if (offset + TAR_BLOCK > MAX_ARCHIVE_BYTES) {
            *why = "the archive is larger than 16 MiB";
            return -1;
        }
        if ((found = tar_read_header(fd, offset, &entry, why)) < 0) {
            return -1;
        }
        if (found == 0) {
            if (count == 0) {
                *why = "the archive is empty";
                return -1;
            }
            return count;
        }
        if (count == MAX_ENTRIES) {
            *why = "the archive has more than 64 entries";
            return -1;
        }
        if (count == 0 && (strcmp(entry.name, USER_DATA_NAME) != 0 || !tar_is_file(entry.type))) {
            *why = "the first entry is not the file " USER_DATA_NAME;
            return -1;
        }
        offset = entry.data + (entry.size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
        entries[count++] = entry;
    }
    *why = "the archive has more than 64 entries";
    return -1;
}

/*
 * Why a rendered file's path (relative, after "rendered/") may not replace a file, or NULL. The
 * image's existence check comes after this one, so a path must not climb out of the root nor name
 * the same file two ways; control characters would garble the console lines that name it.
 */
static const char *rendered_path_problem(const char *path) {
    const char *component = path;
    if (path[0] == '\0') {
        return "an empty path";
    }
    for (const char *c = path; *c != '\0'; c++) {
        if ((unsigned char) *c < 0x20 || *c == 0x7f) {
            return "a control character in the path";
        }
    }
    for (int i = 0; i < TAR_NAME_MAX; i++) { /* a component is at least a character and a '/' */
        size_t length = strcspn(component, "/");
        if (length == 0) {
            return "an empty path component";
        }
        if (length == 2 && strncmp(component, "..", 2) == 0) {
            return "a '..' path component";
        }
        if (length == 1 && component[0] == '.') {
            return "a '.' path component";
        }
        if (component[length] == '\0') {
            return NULL;
        }
        component += length + 1;
    }
    return "a path too long";
}

/* A name as the console may show it: control characters as '?'. */
static const char *shown(const char *name, char *out, size_t size) {
    size_t i = 0;
    for (; name[i] != '\0' && i + 1 < size; i++) {
        out[i] = (unsigned char) name[i] < 0x20 || name[i] == 0x7f ? '?' : name[i];
    }
    out[i] = '\0';
    return out;
}

static int read_fully(int fd, unsigned char *buffer, long long size, long long offset) {
    long long done = 0;
    while (done < size) {
        ssize_t n = pread(fd, buffer + done, (size_t) (size - done), offset + done);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n == 0) {
                errno = EIO; /* the disk ends inside the entry */
            }
            return -1;
        }
        done += n;
    }
    return 0;
}

/* A new file (never an existing one: a second entry for one path would be a second mount). */
static int write_new_file(const char *path, const unsigned char *data, long long size, unsigned int mode) {
    long long done = 0;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        return -1;
    }
    while (done < size) {
        ssize_t n = write(fd, data + done, (size_t) (size - done));
        if (n <= 0) {
            if (n < 0 && errno == EINTR) {
                continue;
            }
            int saved = n < 0 ? errno : EIO;
            close(fd);
            errno = saved;
            return -1;
        }
        done += n;
    }
    /* The header's mode, whatever init's umask. */
    if (fchmod(fd, mode) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return close(fd);
}

/* The directories above path's last component, from the offset start on. */
static int make_parents(char *path, size_t start) {
    struct stat st;
    for (size_t at = start; path[at] != '\0'; at++) {
        if (path[at] != '/' || at == 0) {
            continue;
        }
        path[at] = '\0';
        int made = mkdir(path, 0755) == 0 || (errno == EEXIST && lstat(path, &st) == 0 && S_ISDIR(st.st_mode));
        path[at] = '/';
        if (!made) {
            return -1;
        }
    }
    return 0;
}

static void print_lines(FILE *out, const char *prefix, const unsigned char *data, long long size) {
    long long start = 0;
    while (start < size) {
        const unsigned char *newline = memchr(data + start, '\n', (size_t) (size - start));
        long long end = newline == NULL ? size : newline - data;
        fprintf(out, "twoliter-init: %s", prefix);
        fwrite(data + start, 1, (size_t) (end - start), out);
        fputc('\n', out);
        start = end + 1;
    }
}

/* Where user data is applied: at boot the root and RUN_DIR with bind mounts; in tests, directories. */
struct user_data {
    FILE *out;
    const char *root; /* the image's root, "" at boot */
    const char *run;  /* the copies' directory */
    int bind;         /* bind-mount the copies over the image's files */
    int applied;
    int refused;
};

/* One "rendered/<path>" entry: refused (printed) or copied, mounted and printed. */
static void apply_rendered(int fd, const struct tar_entry *entry, unsigned char *content, struct user_data *ud) {
    char copy[4096], target[4096], name[TAR_NAME_MAX], prefix[TAR_NAME_MAX + 32];
    const char *path = entry->name + strlen(RENDERED), *problem;
    struct stat st;
    if ((problem = rendered_path_problem(path)) != NULL) {
        fprintf(ud->out, "twoliter-init: USER_DATA_ERROR=entry '%s': %s; skipped\n",
                shown(entry->name, name, sizeof name), problem);
        ud->refused++;
        return;
    }
    snprintf(target, sizeof target, "%s/%s", ud->root, path);
    snprintf(copy, sizeof copy, "%s/rendered/%s", ud->run, path);
    /* Every configuration file was rendered into the image from its defaults: anything else is not one. */
    if (lstat(target, &st) != 0 || !S_ISREG(st.st_mode)) {
        fprintf(ud->out, "twoliter-init: USER_DATA_ERROR=/%s: not a file of the image; skipped\n", path);
        ud->refused++;
        return;
    }
    if (read_fully(fd, content, entry->size, entry->data) != 0) {
        fprintf(ud->out, "twoliter-init: USER_DATA_ERROR=/%s: cannot read its content; skipped\n", path);
        ud->refused++;
        return;
    }
    if (make_parents(copy, strlen(ud->run)) != 0
        || write_new_file(copy, content, entry->size, entry->mode & 0777) != 0) {
        fprintf(ud->out, "twoliter-init: USER_DATA_ERROR=/%s: cannot write %s: %s; skipped\n", path, copy,
                errno == EEXIST ? "the archive holds it twice" : strerror(errno));
        ud->refused++;
        return;
    }
    if (ud->bind) {
        if (mount(copy, target, NULL, MS_BIND, NULL) != 0) {
            fprintf(ud->out, "twoliter-init: USER_DATA_ERROR=/%s: cannot bind-mount %s over it: %s; skipped\n",
                    path, copy, strerror(errno));
            ud->refused++;
            return;
        }
        /* The image's files are read-only; the file that replaces one stays so. */
        if (mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) != 0) {
            fprintf(ud->out, "twoliter-init: USER_DATA_ERROR=/%s: applied, but cannot make it read-only: %s\n",
                    path, strerror(errno));
        }
    }
    ud->applied++;
    fprintf(ud->out, "twoliter-init: USER_DATA_FILE=/%s (%lld bytes)\n", path, entry->size);
    snprintf(prefix, sizeof prefix, "USER_DATA /%s: ", path);
    print_lines(ud->out, prefix, content, entry->size);
}

/* Applies the archive on fd; returns -1 (nothing applied) if the archive itself is refused. */
static int apply_user_data_archive(int fd, struct user_data *ud) {
    static struct tar_entry entries[MAX_ENTRIES];
    static unsigned char content[MAX_ENTRY_BYTES];
    char path[4096], name[TAR_NAME_MAX];
    const char *why = NULL;
    long long where = 0;
    int count = tar_scan(fd, entries, &why, &where);
    if (count < 0) {
        fprintf(ud->out, "twoliter-init: USER_DATA_ERROR=%s (header at byte %lld); nothing applied\n", why, where);
        return -1;
    }
    snprintf(path, sizeof path, "%s/user-data.toml", ud->run);
    /* 0600: user data may hold secrets; the rendered files keep the modes the host gave them. */
    if ((mkdir(ud->run, 0755) != 0 && errno != EEXIST)
        || read_fully(fd, content, entries[0].size, entries[0].data) != 0
        || write_new_file(path, content, entries[0].size, 0600) != 0) {
        fprintf(ud->out, "twoliter-init: USER_DATA_ERROR=cannot copy " USER_DATA_NAME " to %s: %s\n", path,
                strerror(errno));
    }
    for (int i = 1; i < count; i++) {
        const struct tar_entry *entry = &entries[i];
        if (entry->type == '5') {
            continue; /* tar's entries for the directories above the files */
        }
        if (!tar_is_file(entry->type)) {
            char type = entry->type >= 0x20 && entry->type < 0x7f ? entry->type : '?';
            fprintf(ud->out, "twoliter-init: USER_DATA_ERROR=entry '%s': type '%c' is not a regular file;"
                    " skipped\n", shown(entry->name, name, sizeof name), type);
            ud->refused++;
        } else if (strncmp(entry->name, RENDERED, strlen(RENDERED)) != 0) {
            fprintf(ud->out, "twoliter-init: USER_DATA_ERROR=entry '%s': not under " RENDERED "; skipped\n",
                    shown(entry->name, name, sizeof name));
            ud->refused++;
        } else {
            apply_rendered(fd, entry, content, ud);
        }
    }
    fprintf(ud->out, "twoliter-init: USER_DATA=applied (%d files)\n", ud->applied);
    return 0;
}

/* The disk whose first block is the user data's header: 1 found, 0 none, -1 with *why set. */
static int find_user_data_disk(char *dev, size_t size, const char **why) {
    DIR *dir = opendir("/sys/block");
    struct dirent *entry;
    int found = 0;
    if (dir == NULL) {
        *why = "cannot list /sys/block";
        return -1;
    }
    for (int seen = 0; seen < 1024 && (entry = readdir(dir)) != NULL; seen++) {
        unsigned char header[TAR_BLOCK];
        char path[300];
        int fd;
        ssize_t n;
        if ((strncmp(entry->d_name, "vd", 2) != 0 && strncmp(entry->d_name, "sd", 2) != 0)
            || strlen(entry->d_name) > 32) {
            continue;
        }
        snprintf(path, sizeof path, "/dev/%s", entry->d_name);
        if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
            continue;
        }
        n = pread(fd, header, TAR_BLOCK, 0);
        close(fd);
        if (n == TAR_BLOCK && is_user_data_header(header)) {
            found++;
            snprintf(dev, size, "%s", path);
        }
    }
    closedir(dir);
    if (found > 1) {
        *why = "more than one disk holds user data";
        return -1;
    }
    return found;
}

static void apply_user_data(void) {
    struct user_data ud = {stdout, "", RUN_DIR, 1, 0, 0};
    char dev[300];
    const char *why = NULL;
    int found, fd;
    /* The only writable place: the root is dm-verity, and the copies must outlive this process. */
    if (mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0755") != 0) {
        printf("twoliter-init: USER_DATA_ERROR=cannot mount a tmpfs on /run: %s\n", strerror(errno));
    }
    if ((found = find_user_data_disk(dev, sizeof dev, &why)) < 0) {
        printf("twoliter-init: USER_DATA_ERROR=%s\n", why);
        return;
    }
    if (found == 0) {
        printf("twoliter-init: USER_DATA=none\n");
        return;
    }
    printf("twoliter-init: USER_DATA_DISK=%s\n", dev);
    if ((fd = open(dev, O_RDONLY | O_CLOEXEC)) < 0) {
        printf("twoliter-init: USER_DATA_ERROR=cannot open %s: %s\n", dev, strerror(errno));
        return;
    }
    apply_user_data_archive(fd, &ud);
    close(fd);
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
    apply_user_data();
    /* Rendered into the image from the defaults, and replaced above when the user data changed it. */
    if (access("/etc/motd", F_OK) == 0) {
        print_file("/etc/motd", "MOTD ");
    }
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
    confirm_bank();
    printf("twoliter-init: powering off\n");
    fflush(stdout);
    sync();
    reboot(RB_POWER_OFF);
    return 1;
}
