package dev.twoliter.engine.prebuilt;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Minimal RPM files (lead, signature header, header; no payload) with the identity a test needs. */
final class TestRpms {
    private TestRpms() {}

    static Path write(Path file, String name, long epoch, String version, String release, String arch)
            throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, bytes(name, epoch, version, release, arch, false));
    }

    static byte[] bytes(String name, long epoch, String version, String release, String arch, boolean source)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(0xedabeedb);
        data.writeShort(0x0300);
        data.writeShort(source ? 1 : 0);
        data.write(new byte[96 - 8]);
        Map<Integer, String> signature = new LinkedHashMap<>();
        signature.put(269, "0".repeat(40));
        int size = header(data, signature, null);
        data.write(new byte[(8 - size % 8) % 8]);
        Map<Integer, String> tags = new LinkedHashMap<>();
        tags.put(1000, name);
        tags.put(1001, version);
        tags.put(1002, release);
        tags.put(1014, "MIT");
        tags.put(1022, arch);
        if (!source) {
            tags.put(1044, name + "-" + version + "-" + release + ".src.rpm");
        }
        header(data, tags, epoch == 0 ? null : (int) epoch);
        return out.toByteArray();
    }

    private static int header(DataOutputStream out, Map<Integer, String> strings, Integer epoch) throws IOException {
        ByteArrayOutputStream store = new ByteArrayOutputStream();
        ByteArrayOutputStream index = new ByteArrayOutputStream();
        DataOutputStream entries = new DataOutputStream(index);
        int count = 0;
        if (epoch != null) {
            entries.writeInt(1003);
            entries.writeInt(4);
            entries.writeInt(store.size());
            entries.writeInt(1);
            new DataOutputStream(store).writeInt(epoch);
            count++;
        }
        for (Map.Entry<Integer, String> tag : strings.entrySet()) {
            entries.writeInt(tag.getKey());
            entries.writeInt(6);
            entries.writeInt(store.size());
            entries.writeInt(1);
            store.write(tag.getValue().getBytes(StandardCharsets.UTF_8));
            store.write(0);
            count++;
        }
        out.writeInt(0x8eade801);
        out.writeInt(0);
        out.writeInt(count);
        out.writeInt(store.size());
        index.writeTo(out);
        store.writeTo(out);
        return store.size();
    }
}
