package dev.twoliter.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** docs/reference.md must list every goal parameter as the plugin descriptor (and so twoliter:help) does. */
class ReferenceDocTest {
    @Test
    void everyParameterIsDocumentedWithItsPropertyAndDefault() throws Exception {
        Document descriptor = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of("target/classes/META-INF/maven/plugin.xml").toFile());
        String reference = Files.readString(Path.of("../docs/reference.md"));
        List<String> missing = new ArrayList<>();
        NodeList mojos = descriptor.getElementsByTagName("mojo");
        for (int i = 0; i < mojos.getLength(); i++) {
            Element mojo = (Element) mojos.item(i);
            String goal = text(mojo, "goal");
            if (goal.equals("help")) {
                continue;
            }
            int start = reference.indexOf("## `twoliter:" + goal + "`");
            assertThat(start).as("section for goal " + goal).isNotNegative();
            int end = reference.indexOf("\n## ", start + 1);
            String section = reference.substring(start, end < 0 ? reference.length() : end);
            Element configuration = (Element) mojo.getElementsByTagName("configuration").item(0);
            NodeList parameters = ((Element) mojo.getElementsByTagName("parameters").item(0)).getElementsByTagName("parameter");
            for (int p = 0; p < parameters.getLength(); p++) {
                Element parameter = (Element) parameters.item(p);
                if (text(parameter, "editable").equals("false")) {
                    continue;
                }
                String name = text(parameter, "name");
                String property = "—";
                String defaultValue = text(parameter, "required").equals("true") ? "(required)" : "—";
                if (configuration != null && configuration.getElementsByTagName(name).getLength() > 0) {
                    Element c = (Element) configuration.getElementsByTagName(name).item(0);
                    Matcher m = Pattern.compile("^\\$\\{(.+)}$").matcher(c.getTextContent().trim());
                    property = m.matches() ? "`" + m.group(1) + "`" : "—";
                    defaultValue = c.hasAttribute("default-value") ? "`" + c.getAttribute("default-value") + "`" : defaultValue;
                }
                String row = "| `" + name + "` | " + property + " | " + defaultValue + " |";
                if (!section.contains(row)) {
                    missing.add(goal + ": " + row);
                }
            }
        }
        assertThat(missing).as("rows missing from docs/reference.md (regenerate its tables)").isEmpty();
    }

    private static String text(Element element, String tag) {
        NodeList nodes = element.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
    }
}
