/*
 * Checks init.c's GRUB environment block code on the build machine (the spec's %check): init writes
 * the block that decides which bank boots, so a mistake there would be found at boot, by GRUB. Also
 * its user data archive reader, which decides what replaces the image's configuration files: on
 * archives in a temporary directory, without mounts, so it runs unprivileged.
 */
#define main twoliter_init_main
#include "init.c"
#undef main

static int failures;

#define CHECK(condition)                                                              \
    do {                                                                              \
        if (!(condition)) {                                                           \
            printf("init-test: FAILED at line %d: %s\n", __LINE__, #condition);     \
            failures++;                                                               \
        }                                                                             \
    } while (0)

/* A block holding these bytes, then '#' to the end, as GRUB writes it. */
static void block_of(unsigned char *block, const char *content, size_t length) {
    memset(block, '#', ENV_SIZE);
    memcpy(block, content, length);
}

#define BLOCK(block, text) block_of(block, text, sizeof text - 1)

/*
 * Directory entries as a FAT driver writes them for a long name of 14 to 26 characters: the LFN
 * entry 0x42 (characters 13 on), the LFN entry 0x01 (characters 0-12), then the 8.3 entry.
 * Written field by field here, independently of init.c's reader.
 */
static void fat_entries(unsigned char *p, const char *long_name, const char *short_name) {
    static const int at[13] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};
    unsigned char sum = 0;
    size_t length = strlen(long_name);
    memset(p, 0, 96);
    memcpy(p + 64, short_name, 11);
    p[64 + 11] = 0x20;
    for (int i = 0; i < 11; i++) {
        sum = (unsigned char) (((sum & 1) << 7) + (sum >> 1) + (unsigned char) short_name[i]);
    }
    for (int e = 0; e < 2; e++) {
        unsigned char *entry = p + 32 * e;
        entry[0] = e == 0 ? 0x42 : 0x01;
        entry[11] = 0x0F;
        entry[13] = sum;
        for (int i = 0; i < 13; i++) {
            size_t c = (e == 0 ? 13 : 0) + i;
            unsigned int v = c < length ? (unsigned char) long_name[c] : c == length ? 0 : 0xFFFF;
            entry[at[i]] = v & 0xFF;
            entry[at[i] + 1] = v >> 8;
        }
    }
}

/*
 * User data archives as GNU tar writes them with --format=ustar: a header per entry, the content
 * zero-padded to 512 bytes, two zero blocks at the end. Written field by field here, independently
 * of init.c's reader.
 */
#define ARCHIVE_MAX (128 << 10)

struct archive {
    unsigned char bytes[ARCHIVE_MAX];
    size_t length;
};

static void octal_field(unsigned char *field, size_t width, unsigned long long value) {
    char text[32];
    snprintf(text, sizeof text, "%0*llo", (int) width - 1, value);
    memcpy(field, text, width); /* the digits and a NUL */
}

static void ustar_header(unsigned char *h, const char *prefix, const char *name, char type, unsigned int mode,
                         unsigned long long size) {
    unsigned int sum = 0;
    char text[16];
    memset(h, 0, 512);
    memcpy(h, name, strnlen(name, 100));
    octal_field(h + 100, 8, mode);
    octal_field(h + 108, 8, 1000);
    octal_field(h + 116, 8, 1000);
    octal_field(h + 124, 12, size);
    octal_field(h + 136, 12, 1767225600);
    h[156] = (unsigned char) type;
    memcpy(h + 257, "ustar\0" "00", 8);
    memcpy(h + 265, "builder", 7);
    memcpy(h + 297, "builder", 7);
    memcpy(h + 345, prefix, strnlen(prefix, 155));
    memset(h + 148, ' ', 8);
    for (int i = 0; i < 512; i++) {
        sum += h[i];
    }
    snprintf(text, sizeof text, "%06o", sum);
    memcpy(h + 148, text, 7); /* six digits, a NUL, and the space that stays */
}

/* Appends an entry; returns the offset of its header. */
static size_t add_entry(struct archive *a, const char *prefix, const char *name, char type, unsigned int mode,
                        const char *content) {
    size_t at = a->length, size = strlen(content);
    ustar_header(a->bytes + at, prefix, name, type, mode, size);
    memset(a->bytes + at + 512, 0, (size + 511) / 512 * 512);
    memcpy(a->bytes + at + 512, content, size);
    a->length += 512 + (size + 511) / 512 * 512;
    return at;
}

static void add_end(struct archive *a) {
    memset(a->bytes + a->length, 0, 1024);
    a->length += 1024;
}

static void write_whole(const char *path, const void *data, size_t length) {
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL && fwrite(data, 1, length, f) == length);
    if (f != NULL) {
        CHECK(fclose(f) == 0);
    }
}

/* The file's content, NUL-terminated, or "" (with *mode 0) if it cannot be read. */
static const char *read_whole(const char *path, unsigned int *mode) {
    static char content[4096];
    struct stat st;
    FILE *f = fopen(path, "rb");
    size_t n = f == NULL ? 0 : fread(content, 1, sizeof content - 1, f);
    content[n] = '\0';
    *mode = f != NULL && fstat(fileno(f), &st) == 0 ? st.st_mode & 07777 : 0;
    if (f != NULL) {
        fclose(f);
    }
    return content;
}

static void remove_tree(const char *path, int depth) {
    struct stat st;
    if (depth > 16 || lstat(path, &st) != 0) {
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        DIR *dir = opendir(path);
        struct dirent *entry;
        char child[4096];
        while (dir != NULL && (entry = readdir(dir)) != NULL) {
            if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0) {
                snprintf(child, sizeof child, "%s/%s", path, entry->d_name);
                remove_tree(child, depth + 1);
            }
        }
        if (dir != NULL) {
            closedir(dir);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* Applies the archive in the file at path, without mounts; returns what it printed (and *result). */
static const char *apply_archive_file(const char *path, const char *root, const char *run, struct user_data *ud,
                                      int *result) {
    static char *printed = NULL;
    size_t printed_length = 0;
    int fd = open(path, O_RDONLY);
    free(printed);
    printed = NULL;
    FILE *out = open_memstream(&printed, &printed_length);
    CHECK(fd >= 0 && out != NULL);
    *ud = (struct user_data) {out, root, run, 0, 0, 0};
    *result = fd < 0 || out == NULL ? -2 : apply_user_data_archive(fd, ud);
    if (out != NULL) {
        fclose(out);
    }
    if (fd >= 0) {
        close(fd);
    }
    return printed == NULL ? "" : printed;
}

/* A refused archive: -1, the reason printed, and nothing copied. */
static void check_refused(struct archive *a, const char *base, const char *reason) {
    char path[4096], run[4096];
    struct user_data ud;
    int result;
    snprintf(path, sizeof path, "%s/refused.tar", base);
    snprintf(run, sizeof run, "%s/run-refused", base);
    write_whole(path, a->bytes, a->length);
    const char *printed = apply_archive_file(path, base, run, &ud, &result);
    CHECK(result == -1 && strstr(printed, reason) != NULL && strstr(printed, "nothing applied") != NULL);
    CHECK(access(run, F_OK) != 0);
    if (result != -1 || strstr(printed, reason) == NULL) {
        printf("init-test: expected '%s', got: %s\n", reason, printed);
    }
}

static void user_data_tests(void) {
    static struct archive a;
    unsigned char h[512];
    unsigned long long value;
    char base[1024], root[2048], run[2048], path[4096], command[8192];
    const char *tmp = getenv("TMPDIR"), *printed;
    struct user_data ud;
    unsigned int mode;
    int result;

    /* Numeric fields: octal digits, then NULs or spaces; nothing else, nothing above the limit. */
    CHECK(tar_octal((const unsigned char *) "0000644\0", 8, 07777, &value) == 0 && value == 0644);
    CHECK(tar_octal((const unsigned char *) "   644 \0", 8, 07777, &value) == 0 && value == 0644);
    CHECK(tar_octal((const unsigned char *) "00004000000\0", 12, 1 << 20, &value) == 0 && value == 1 << 20);
    CHECK(tar_octal((const unsigned char *) "00004000001\0", 12, 1 << 20, &value) != 0);
    CHECK(tar_octal((const unsigned char *) "77777777777777777777777", 23, ULLONG_MAX / 8, &value) != 0);
    CHECK(tar_octal((const unsigned char *) "0000008\0", 8, 07777, &value) != 0);
    CHECK(tar_octal((const unsigned char *) "12 3\0\0\0\0", 8, 07777, &value) != 0);
    CHECK(tar_octal((const unsigned char *) "\0\0\0\0\0\0\0\0", 8, 07777, &value) != 0);
    CHECK(tar_octal((const unsigned char *) "        ", 8, 07777, &value) != 0);
    CHECK(tar_octal((const unsigned char *) "\x80\0\0\0\0\0\0\0\0\0\0\x01", 12, 1 << 20, &value) != 0);
    CHECK(tar_octal((const unsigned char *) "00000000012", 11, 1 << 20, &value) == 0 && value == 10);

    /* Headers: checksum, magic, the name with its prefix. */
    ustar_header(h, "", USER_DATA_NAME, '0', 0644, 12);
    CHECK(tar_checksum_ok(h) && tar_header_ok(h) && is_user_data_header(h));
    h[0] = 'T';
    CHECK(!tar_checksum_ok(h) && !is_user_data_header(h));
    ustar_header(h, "", USER_DATA_NAME ".bak", '0', 0644, 12);
    CHECK(tar_header_ok(h) && !is_user_data_header(h));
    ustar_header(h, "dir", USER_DATA_NAME, '0', 0644, 12);
    CHECK(tar_header_ok(h) && !is_user_data_header(h));
    ustar_header(h, "", USER_DATA_NAME, '0', 0644, 12);
    memcpy(h + 257, "ustar  \0", 8); /* GNU tar's own format, checksum made good again */
    memset(h + 148, ' ', 8);
    {
        unsigned int sum = 0;
        char text[16];
        for (int i = 0; i < 512; i++) {
            sum += h[i];
        }
        snprintf(text, sizeof text, "%06o", sum);
        memcpy(h + 148, text, 7);
    }
    CHECK(tar_checksum_ok(h) && !tar_header_ok(h));
    memset(h, 0, sizeof h);
    CHECK(tar_is_end(h) && !tar_header_ok(h));
    {
        char name[TAR_NAME_MAX], long_name[101], long_prefix[156], expected[TAR_NAME_MAX];
        ustar_header(h, "rendered/etc", "motd", '0', 0644, 0);
        tar_name(h, name);
        CHECK(strcmp(name, "rendered/etc/motd") == 0);
        memset(long_name, 'n', 100);
        long_name[100] = '\0';
        memset(long_prefix, 'p', 155);
        long_prefix[155] = '\0';
        ustar_header(h, long_prefix, long_name, '0', 0644, 0); /* both fields full: no NUL in either */
        tar_name(h, name);
        snprintf(expected, sizeof expected, "%s/%s", long_prefix, long_name);
        CHECK(strlen(name) == 256 && strcmp(name, expected) == 0);
    }

    /* The paths a rendered file may have. */
    CHECK(rendered_path_problem("etc/motd") == NULL && rendered_path_problem("etc/chrony.conf") == NULL);
    CHECK(rendered_path_problem("motd") == NULL && rendered_path_problem("etc/..motd") == NULL);
    CHECK(rendered_path_problem("") != NULL && rendered_path_problem("/etc/motd") != NULL);
    CHECK(rendered_path_problem("etc//motd") != NULL && rendered_path_problem("etc/motd/") != NULL);
    CHECK(rendered_path_problem("..") != NULL && rendered_path_problem("etc/../../motd") != NULL);
    CHECK(rendered_path_problem("etc/..") != NULL && rendered_path_problem("./etc/motd") != NULL);
    CHECK(rendered_path_problem("etc/mo\ntd") != NULL && rendered_path_problem("etc/\x7f") != NULL);

    /* A whole archive: the user data, directories, one file applied and everything else refused. */
    snprintf(base, sizeof base, "%s/init-test.XXXXXX", tmp != NULL && tmp[0] == '/' ? tmp : "/tmp");
    if (mkdtemp(base) == NULL) {
        snprintf(base, sizeof base, "init-test.XXXXXX"); /* the build directory, writable in %check */
        if (mkdtemp(base) == NULL) {
            printf("init-test: FAILED: cannot make a temporary directory: %s\n", strerror(errno));
            failures++;
            return;
        }
    }
    snprintf(root, sizeof root, "%s/root", base);
    snprintf(path, sizeof path, "%s/root/etc/dir", base);
    CHECK(mkdir(root, 0755) == 0 && make_parents(path, strlen(root)) == 0 && mkdir(path, 0755) == 0);
    snprintf(path, sizeof path, "%s/root/etc/motd", base);
    write_whole(path, "from the defaults\n", 18);
    snprintf(path, sizeof path, "%s/root/etc/link", base);
    CHECK(symlink("motd", path) == 0);

    a.length = 0;
    add_entry(&a, "", USER_DATA_NAME, '0', 0644, "[settings]\nmotd = \"Hello\\nfleet\"\n");
    add_entry(&a, "", "rendered/", '5', 0755, "");
    add_entry(&a, "", "rendered/etc/", '5', 0755, "");
    /* Java's commons-compress keeps the type bits in the mode field (0100640). */
    add_entry(&a, "", "rendered/etc/motd", '0', 0100640, "Hello\nfleet");
    add_entry(&a, "", "rendered/etc/missing", '0', 0644, "x\n");
    add_entry(&a, "rendered", "etc/../motd", '0', 0644, "x\n");
    add_entry(&a, "", "rendered/etc//motd", '0', 0644, "x\n");
    add_entry(&a, "", "rendered/etc/link", '0', 0644, "x\n");
    add_entry(&a, "", "rendered/etc/dir", '0', 0644, "x\n");
    add_entry(&a, "", "rendered/etc/sym", '2', 0777, "");
    add_entry(&a, "", "other/file", '0', 0644, "x\n");
    add_entry(&a, "", "rendered/", '0', 0644, "x\n");
    add_entry(&a, "", "rendered/etc/motd", '0', 0644, "again\n");
    add_end(&a);
    memset(a.bytes + a.length, 0, 4096); /* the disk's zeros after the archive */
    a.length += 4096;
    snprintf(path, sizeof path, "%s/archive.tar", base);
    write_whole(path, a.bytes, a.length);
    snprintf(run, sizeof run, "%s/run", base);
    printed = apply_archive_file(path, root, run, &ud, &result);
    CHECK(result == 0 && ud.applied == 1 && ud.refused == 9);
    CHECK(strstr(printed, "twoliter-init: USER_DATA_FILE=/etc/motd (11 bytes)\n"
                          "twoliter-init: USER_DATA /etc/motd: Hello\n"
                          "twoliter-init: USER_DATA /etc/motd: fleet\n") != NULL);
    CHECK(strstr(printed, "USER_DATA_ERROR=/etc/missing: not a file of the image; skipped\n") != NULL);
    CHECK(strstr(printed, "USER_DATA_ERROR=entry 'rendered/etc/../motd': a '..' path component; skipped\n"));
    CHECK(strstr(printed, "USER_DATA_ERROR=entry 'rendered/etc//motd': an empty path component; skipped\n"));
    CHECK(strstr(printed, "USER_DATA_ERROR=/etc/link: not a file of the image; skipped\n") != NULL);
    CHECK(strstr(printed, "USER_DATA_ERROR=/etc/dir: not a file of the image; skipped\n") != NULL);
    CHECK(strstr(printed, "USER_DATA_ERROR=entry 'rendered/etc/sym': type '2' is not a regular file; skipped\n")
          != NULL);
    CHECK(strstr(printed, "USER_DATA_ERROR=entry 'other/file': not under rendered/; skipped\n") != NULL);
    CHECK(strstr(printed, "USER_DATA_ERROR=entry 'rendered/': an empty path; skipped\n") != NULL);
    CHECK(strstr(printed, "the archive holds it twice; skipped\n") != NULL);
    CHECK(strstr(printed, "twoliter-init: USER_DATA=applied (1 files)\n") != NULL);
    snprintf(path, sizeof path, "%s/rendered/etc/motd", run);
    CHECK(strcmp(read_whole(path, &mode), "Hello\nfleet") == 0 && mode == 0640);
    snprintf(path, sizeof path, "%s/user-data.toml", run);
    CHECK(strcmp(read_whole(path, &mode), "[settings]\nmotd = \"Hello\\nfleet\"\n") == 0 && mode == 0600);
    snprintf(path, sizeof path, "%s/rendered/etc/missing", run);
    CHECK(access(path, F_OK) != 0);
    snprintf(path, sizeof path, "%s/root/etc/motd", base);
    CHECK(strcmp(read_whole(path, &mode), "from the defaults\n") == 0);

    /* Archives refused whole. */
    a.length = 0;
    add_entry(&a, "", USER_DATA_NAME, '0', 0644, "");
    size_t second = add_entry(&a, "", "rendered/etc/motd", '0', 0644, "x\n");
    add_end(&a);
    a.bytes[second + 1] ^= 1;
    check_refused(&a, base, "a header is not a ustar header with a valid checksum (header at byte 512)");
    a.length = 0;
    add_entry(&a, "", "rendered/etc/motd", '0', 0644, "x\n");
    add_entry(&a, "", USER_DATA_NAME, '0', 0644, "");
    add_end(&a);
    check_refused(&a, base, "the first entry is not the file " USER_DATA_NAME);
    a.length = 0;
    add_entry(&a, "", USER_DATA_NAME, '5', 0755, "");
    add_end(&a);
    check_refused(&a, base, "the first entry is not the file " USER_DATA_NAME);
    a.length = 0;
    add_end(&a);
    check_refused(&a, base, "the archive is empty");
    a.length = 0;
    add_entry(&a, "", USER_DATA_NAME, '0', 0644, "");
    add_entry(&a, "", "rendered/etc/motd", '0', 0644, "x\n");
    check_refused(&a, base, "the archive ends before its end blocks");
    a.length = 0;
    add_entry(&a, "", USER_DATA_NAME, '0', 0644, "");
    ustar_header(a.bytes + a.length, "", "rendered/etc/motd", '0', 0644, (1 << 20) + 1);
    a.length += 512;
    add_end(&a);
    check_refused(&a, base, "an entry's size is not an octal number of at most 1 MiB");
    a.length = 0;
    add_entry(&a, "", USER_DATA_NAME, '0', 0644, "");
    for (int i = 0; i < MAX_ENTRIES; i++) {
        add_entry(&a, "", "rendered/etc/", '5', 0755, "");
    }
    add_end(&a);
    check_refused(&a, base, "the archive has more than 64 entries");
    {
        /* Sixteen entries of 1 MiB after the user data reach past 16 MiB; the file is sparse. */
        int fd;
        long long offset = 0;
        snprintf(path, sizeof path, "%s/big.tar", base);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        CHECK(fd >= 0);
        ustar_header(h, "", USER_DATA_NAME, '0', 0644, 0);
        CHECK(pwrite(fd, h, 512, offset) == 512);
        offset += 512;
        for (int i = 0; i < 16; i++) {
            ustar_header(h, "", "rendered/etc/motd", '0', 0644, 1 << 20);
            CHECK(pwrite(fd, h, 512, offset) == 512);
            offset += 512 + (1 << 20);
        }
        CHECK(ftruncate(fd, offset + 1024) == 0 && close(fd) == 0);
        snprintf(run, sizeof run, "%s/run-big", base);
        printed = apply_archive_file(path, root, run, &ud, &result);
        CHECK(result == -1 && strstr(printed, "the archive is larger than 16 MiB") != NULL);
        CHECK(access(run, F_OK) != 0);
    }

    /* What GNU tar itself writes, when the build machine has it. */
    if (system("tar --version 2>/dev/null | grep -q 'GNU tar'") == 0) {
        snprintf(path, sizeof path, "%s/tree/rendered/etc/motd", base);
        CHECK(make_parents(path, strlen(base)) == 0);
        write_whole(path, "from tar\n", 9);
        CHECK(chmod(path, 0644) == 0);
        snprintf(path, sizeof path, "%s/tree/" USER_DATA_NAME, base);
        write_whole(path, "settings.motd = \"from tar\"\n", 27);
        snprintf(command, sizeof command, "cd '%s/tree' && tar --format=ustar -cf ../real.tar " USER_DATA_NAME
                 " rendered", base);
        CHECK(system(command) == 0);
        snprintf(path, sizeof path, "%s/real.tar", base);
        CHECK(truncate(path, 1 << 20) == 0); /* the zeros up to the disk's size */
        snprintf(run, sizeof run, "%s/run-tar", base);
        printed = apply_archive_file(path, root, run, &ud, &result);
        CHECK(result == 0 && ud.applied == 1 && ud.refused == 0);
        CHECK(strstr(printed, "twoliter-init: USER_DATA /etc/motd: from tar\n") != NULL);
        snprintf(path, sizeof path, "%s/rendered/etc/motd", run);
        CHECK(strcmp(read_whole(path, &mode), "from tar\n") == 0 && mode == 0644);
        {
            int fd = open(path, O_RDONLY);
            snprintf(path, sizeof path, "%s/real.tar", base);
            fd = fd >= 0 ? (close(fd), open(path, O_RDONLY)) : -1;
            CHECK(fd >= 0 && pread(fd, h, 512, 0) == 512 && is_user_data_header(h));
            if (fd >= 0) {
                close(fd);
            }
        }
    } else {
        printf("init-test: no GNU tar on this machine: the archive it writes is not checked\n");
    }
    remove_tree(base, 0);
}

int main(void) {
    static struct env env;
    unsigned char block[ENV_SIZE], rendered[ENV_SIZE], expected[ENV_SIZE];
    char big[ENV_SIZE];

    /* The state every image starts with (BankState.initialBlock in the plugin): read and written back. */
    BLOCK(block, ENV_HEADER "twoliter_bank=A\ntwoliter_try=\ntwoliter_tries=\ntwoliter_fallback=\n");
    CHECK(env_parse(block, &env) == 0);
    CHECK(env.count == 4);
    CHECK(strcmp(env_get(&env, "twoliter_bank"), "A") == 0 && strcmp(env_get(&env, "twoliter_try"), "") == 0);
    CHECK(strcmp(env_get(&env, "missing"), "") == 0);
    CHECK(env_render(&env, rendered) == 0 && memcmp(rendered, block, ENV_SIZE) == 0);

    /* A confirmed try, after GRUB consumed it: the values change in place, the order stays. */
    BLOCK(block, ENV_HEADER "twoliter_bank=A\ntwoliter_try=B\ntwoliter_tries=0\ntwoliter_fallback=\n");
    CHECK(env_parse(block, &env) == 0);
    CHECK(env_set(&env, "twoliter_bank", "B") == 0 && env_set(&env, "twoliter_try", "") == 0
          && env_set(&env, "twoliter_tries", "") == 0);
    BLOCK(expected, ENV_HEADER "twoliter_bank=B\ntwoliter_try=\ntwoliter_tries=\ntwoliter_fallback=\n");
    CHECK(env_render(&env, rendered) == 0 && memcmp(rendered, expected, ENV_SIZE) == 0);

    /* What grub-editenv writes: a comment line after the header, a backslash escaped. */
    BLOCK(block, ENV_HEADER "# WARNING: Do not edit this file by tools other than grub-editenv!!!\n"
                            "x=a\\\\b\ntwoliter_try=B\n");
    CHECK(env_parse(block, &env) == 0);
    CHECK(env.count == 2 && strcmp(env_get(&env, "x"), "a\\b") == 0);
    CHECK(env_render(&env, rendered) == 0 && memcmp(rendered + strlen(ENV_HEADER), "x=a\\\\b\n", 7) == 0);

    /* Not blocks: the header inside a binary, a line without '=', a value that never ends, bad padding. */
    BLOCK(block, ENV_HEADER "\0\1binary");
    CHECK(env_parse(block, &env) != 0);
    BLOCK(block, ENV_HEADER "noequals\n");
    CHECK(env_parse(block, &env) != 0);
    BLOCK(block, ENV_HEADER "=A\n");
    CHECK(env_parse(block, &env) != 0);
    memset(block, 'x', ENV_SIZE);
    memcpy(block, ENV_HEADER "a=", strlen(ENV_HEADER) + 2);
    CHECK(env_parse(block, &env) != 0);
    BLOCK(block, ENV_HEADER "a=b\n");
    block[1000] = 'x';
    CHECK(env_parse(block, &env) != 0);

    /* The block cannot grow: content that fills it exactly fits, one byte more does not. */
    env.count = 0;
    memset(big, 'x', sizeof big);
    big[ENV_SIZE - strlen(ENV_HEADER) - 3] = '\0'; /* "a=" + value + "\n" fills the rest */
    CHECK(env_set(&env, "a", big) == 0 && env_render(&env, rendered) == 0 && rendered[ENV_SIZE - 1] == '\n');
    big[ENV_SIZE - strlen(ENV_HEADER) - 3] = 'x';
    big[ENV_SIZE - strlen(ENV_HEADER) - 2] = '\0';
    CHECK(env_set(&env, "a", big) == 0 && env_render(&env, rendered) != 0);

    /* The bank GRUB passed: the last whole "twoliter.bank=A|B" word. */
    CHECK(bank_in_cmdline("console=ttyS0 twoliter.bank=B root=/dev/dm-0\n") == 'B');
    CHECK(bank_in_cmdline("twoliter.bank=B twoliter.bank=A") == 'A');
    CHECK(bank_in_cmdline("twoliter.bank=AB xtwoliter.bank=A twoliter.bank=") == 0);
    CHECK(bank_in_cmdline("twoliter.bank=C") == 0 && bank_in_cmdline("") == 0);

    /* systemd-boot's state: the booted bank's UKI entry and its boot counter. */
    {
        unsigned char dir[96], expected_dir[96];
        char name[27];
        fat_entries(dir, "twoliter-b+0-1.efi", "TWOLIT~2EFI");
        CHECK(two_entry_name(dir, name, sizeof name) == 0 && strcmp(name, "twoliter-b+0-1.efi") == 0);
        CHECK(entry_kind(name, 'b') == 1 && entry_kind(name, 'a') == 0);
        CHECK(rename_two_entries(dir, "twoliter-b.efi") == 0);
        fat_entries(expected_dir, "twoliter-b.efi", "TWOLIT~2EFI");
        CHECK(memcmp(dir, expected_dir, 96) == 0);
        CHECK(two_entry_name(dir, name, sizeof name) == 0 && strcmp(name, "twoliter-b.efi") == 0);
        CHECK(entry_kind(name, 'b') == 2);
        CHECK(entry_kind("twoliter-a+1-0.efi", 'a') == 1 && entry_kind("twoliter-a+3.efi", 'a') == 1);
        CHECK(entry_kind("twoliter-a+.efi", 'a') == 0 && entry_kind("twoliter-a+1-.efi", 'a') == 0);
        CHECK(entry_kind("twoliter-a+1-0.efi.bak", 'a') == 0 && entry_kind("twoliter-ab.efi", 'a') == 0);
        /* Deleted entries, a changed short name (checksum) or a third LFN entry are not ours. */
        fat_entries(dir, "twoliter-b+0-1.efi", "TWOLIT~2EFI");
        dir[64] = 0xE5;
        CHECK(two_entry_name(dir, name, sizeof name) != 0);
        fat_entries(dir, "twoliter-b+0-1.efi", "TWOLIT~2EFI");
        dir[65] ^= 1;
        CHECK(two_entry_name(dir, name, sizeof name) != 0);
        fat_entries(dir, "twoliter-b+0-1.efi", "TWOLIT~2EFI");
        dir[0] = 0x43;
        CHECK(two_entry_name(dir, name, sizeof name) != 0);
        /* A name of 13 characters or fewer has one LFN entry: not this layout. */
        CHECK(rename_two_entries(dir, "twoliter.efi") != 0);
    }

    user_data_tests();

    printf("init-test: %s\n", failures == 0 ? "passed" : "FAILED");
    return failures != 0;
}
