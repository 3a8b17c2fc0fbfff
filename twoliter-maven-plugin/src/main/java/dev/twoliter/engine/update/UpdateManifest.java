package dev.twoliter.engine.update;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.bank.Bank;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The update repository's {@code manifest.json} in the form Bottlerocket's updater reads: {@code
 * updates[]} (variant, arch, version, max_version, waves, images) and {@code migrations}. Fields
 * this class does not know are kept as they are, so that publishing through it never drops what
 * another tool wrote.
 */
public final class UpdateManifest {
    public static final String TARGET_NAME = "manifest.json";
    private static final int MAX_UPDATES = 10_000;
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16)
                .maxStringLength(1 << 16).build());
    }

    private final ObjectNode root;
    private final List<Update> updates;

    private UpdateManifest(ObjectNode root, List<Update> updates) {
        this.root = root;
        this.updates = updates;
    }

    public static UpdateManifest empty() {
        ObjectNode root = MAPPER.createObjectNode();
        root.putArray("updates");
        root.putObject("migrations");
        return new UpdateManifest(root, new ArrayList<>());
    }

    /** Reads a manifest; {@code where} names it in messages (the repository and target). */
    public static UpdateManifest parse(byte[] json, String where) throws TwoliterException {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new TwoliterException(where + " is not valid JSON: " + e.getOriginalMessage() + ".");
        } catch (IOException e) {
            throw new TwoliterException(where + " could not be read: " + e.getMessage() + ".");
        }
        if (!(node instanceof ObjectNode root) || !(root.get("updates") instanceof ArrayNode list)) {
            throw new TwoliterException(where + " has no \"updates\" list; it is not an update manifest.");
        }
        if (root.has("migrations") && !root.get("migrations").isObject()) {
            throw new TwoliterException(where + ": \"migrations\" must be an object.");
        }
        if (list.size() > MAX_UPDATES) {
            throw new TwoliterException(where + " lists " + list.size() + " updates; at most " + MAX_UPDATES
                    + " are read.");
        }
        List<Update> updates = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            updates.add(Update.fromJson(list.get(i), where + " updates[" + i + "]"));
        }
        return new UpdateManifest(root, updates);
    }

    public List<Update> updates() {
        return List.copyOf(updates);
    }

    public Optional<Update> find(String variant, String arch, UpdateVersion version) {
        return updates.stream().filter(u -> u.variant().equals(variant) && u.arch().equals(arch)
                && u.version().compareTo(version) == 0).findFirst();
    }

    /**
     * Adds {@code update}; every update of the same variant and arch gets its {@code max_version}
     * (a fleet may then move up to it), and the step from the newest earlier version gets an (empty)
     * migrations entry.
     */
    public void add(Update update) throws TwoliterException {
        if (find(update.variant(), update.arch(), update.version()).isPresent()) {
            throw new TwoliterException("version " + update.version() + " of " + update.variant() + " ("
                    + update.arch() + ") is already in the update repository; raise the project's version to"
                    + " publish an update.");
        }
        Optional<UpdateVersion> previous = updates.stream()
                .filter(u -> u.variant().equals(update.variant()) && u.arch().equals(update.arch()))
                .map(Update::version).filter(v -> v.compareTo(update.version()) < 0).max(Comparator.naturalOrder());
        List<Update> next = new ArrayList<>();
        for (Update u : updates) {
            boolean same = u.variant().equals(update.variant()) && u.arch().equals(update.arch());
            next.add(same ? u.withMaxVersion(update.maxVersion()) : u);
        }
        next.add(update);
        next.sort(Comparator.comparing(Update::variant).thenComparing(Update::arch)
                .thenComparing(Update::version, Comparator.reverseOrder()));
        updates.clear();
        updates.addAll(next);
        ArrayNode list = root.putArray("updates");
        updates.forEach(u -> list.add(u.toJson(MAPPER)));
        ObjectNode migrations = root.has("migrations") ? (ObjectNode) root.get("migrations")
                : root.putObject("migrations");
        previous.ifPresent(p -> {
            String key = "(" + p + ", " + update.version() + ")";
            if (!migrations.has(key)) {
                migrations.putArray(key);
            }
        });
    }

    /**
     * The update a machine of {@code variant} and {@code arch} at {@code current} should move to:
     * the newest newer version not above its own {@code max_version} whose wave for {@code seed}
     * has started at {@code now}.
     */
    public Optional<Update> choose(String variant, String arch, UpdateVersion current, int seed, Instant now) {
        return updates.stream()
                .filter(u -> u.variant().equals(variant) && u.arch().equals(arch))
                .filter(u -> u.version().compareTo(current) > 0 && u.version().compareTo(u.maxVersion()) <= 0)
                .filter(u -> u.startsFor(seed).map(start -> !start.isAfter(now)).orElse(true))
                .max(Comparator.comparing(Update::version));
    }

    public byte[] toBytes() {
        try {
            return (MAPPER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("a manifest tree cannot fail to render", e);
        }
    }

    /**
     * The images of one update: target names in the repository. A GRUB image's banks each take the
     * same {@code boot} partition image; a UKI image's banks each take their own UKI ({@code uki-a},
     * {@code uki-b}), because each names its own partitions, and there is no {@code boot} key, so
     * that an updater that only knows GRUB images refuses the entry rather than write a UKI into a
     * partition the UKI layout does not have (docs/updates.md).
     */
    public record Images(String root, String hash, Optional<String> boot, Map<Bank, String> ukis) {
        public Images {
            ukis = Map.copyOf(ukis);
            if (boot.isPresent() == !ukis.isEmpty() || (!ukis.isEmpty() && ukis.size() != Bank.values().length)) {
                throw new IllegalArgumentException("an update has either a boot image or one UKI per bank");
            }
        }

        public static Images grub(String boot, String root, String hash) {
            return new Images(root, hash, Optional.of(boot), Map.of());
        }

        public static Images uki(Map<Bank, String> ukis, String root, String hash) {
            return new Images(root, hash, Optional.empty(), ukis);
        }

        /** Whether the update is for UKI images (one UKI per bank) rather than GRUB images. */
        public boolean forUki() {
            return boot.isEmpty();
        }

        /** What is written to make {@code bank} boot: the boot partition image, or the bank's UKI. */
        public String bootImageFor(Bank bank) {
            return boot.orElseGet(() -> ukis.get(bank));
        }

        /** The manifest's key of a bank's UKI: {@code uki-a}, {@code uki-b}. */
        public static String ukiKey(Bank bank) {
            return "uki-" + bank.name().toLowerCase(java.util.Locale.ROOT);
        }

        static Images fromJson(JsonNode node, String where) throws TwoliterException {
            if (node == null || !node.isObject()) {
                throw new TwoliterException(where + ": \"images\" must be an object with root, hash and either boot"
                        + " or uki-a and uki-b.");
            }
            String root = UpdateJson.targetName(node, "root", where);
            String hash = UpdateJson.targetName(node, "hash", where);
            boolean anyUki = node.has(ukiKey(Bank.A)) || node.has(ukiKey(Bank.B));
            if (node.has("boot") == anyUki) {
                throw new TwoliterException(where + ": \"images\" must name either a boot image (GRUB images) or"
                        + " uki-a and uki-b (UKI images), " + (anyUki ? "not both." : "but names neither."));
            }
            if (!anyUki) {
                return grub(UpdateJson.targetName(node, "boot", where), root, hash);
            }
            Map<Bank, String> ukis = new EnumMap<>(Bank.class);
            for (Bank bank : Bank.values()) {
                ukis.put(bank, UpdateJson.targetName(node, ukiKey(bank), where));
            }
            return uki(ukis, root, hash);
        }

        void toJson(ObjectNode i) {
            boot.ifPresent(b -> i.put("boot", b));
            i.put("root", root);
            i.put("hash", hash);
            new java.util.TreeMap<>(ukis).forEach((bank, name) -> i.put(ukiKey(bank), name));
        }
    }

    /** One entry of {@code updates[]}. {@code waves}: seed bound → start time, empty for everyone at once. */
    public record Update(String variant, String arch, UpdateVersion version, UpdateVersion maxVersion,
            Map<Integer, Instant> waves, Images images) {
        public Update {
            waves = Map.copyOf(waves);
        }

        static Update fromJson(JsonNode node, String where) throws TwoliterException {
            if (node == null || !node.isObject()) {
                throw new TwoliterException(where + " is not an object.");
            }
            return new Update(UpdateJson.name(node, "variant", where), UpdateJson.name(node, "arch", where),
                    UpdateJson.version(node, "version", where), UpdateJson.version(node, "max_version", where),
                    UpdateJson.waves(node.get("waves"), where), Images.fromJson(node.get("images"), where));
        }

        Update withMaxVersion(UpdateVersion max) {
            return new Update(variant, arch, version, max, waves, images);
        }

        /** When a machine with {@code seed} may take this update; empty if the update has no waves. */
        public Optional<Instant> startsFor(int seed) {
            return waves.entrySet().stream().filter(e -> seed < e.getKey())
                    .min(Map.Entry.comparingByKey()).map(Map.Entry::getValue)
                    .or(() -> waves.isEmpty() ? Optional.empty() : Optional.of(Instant.MAX));
        }

        ObjectNode toJson(ObjectMapper mapper) {
            ObjectNode o = mapper.createObjectNode();
            o.put("variant", variant);
            o.put("arch", arch);
            o.put("version", version.toString());
            o.put("max_version", maxVersion.toString());
            ObjectNode w = o.putObject("waves");
            new java.util.TreeMap<>(waves).forEach((seed, start) -> w.put(Integer.toString(seed), start.toString()));
            images.toJson(o.putObject("images"));
            return o;
        }
    }
}
