package dev.twoliter.engine.closure;

/** What is being checked, for the wording of messages: a kit's packages, or a variant's. */
public enum ClosureScope {
    KIT("the kit", "its kit dependencies", "add that kit as a dependency", "add one of those kits as a dependency",
            "build a package that provides it into the kit or one of its kit dependencies"),
    VARIANT("its own packages", "the variant's other packages and kits", "add that kit to the variant", "add one of those kits to the variant",
            "add a package or a kit that provides it to the variant");

    final String own;
    final String dependencies;
    final String addTheKit;
    final String addOneOfTheKits;
    final String addAProvider;

    ClosureScope(String own, String dependencies, String addTheKit, String addOneOfTheKits, String addAProvider) {
        this.own = own;
        this.dependencies = dependencies;
        this.addTheKit = addTheKit;
        this.addOneOfTheKits = addOneOfTheKits;
        this.addAProvider = addAProvider;
    }
}
