package dev.finetune4j.hostit;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/** Reads the repository's POMs and the README's XML the way Maven would, for the tests of this module. */
final class Poms {

    /** One {@code <dependency>}: its coordinates and the fields that change what is resolved. */
    record Dependency(String groupId, String artifactId, String version, String type, String scope) {
        String ga() {
            return groupId + ":" + artifactId;
        }
    }

    private Poms() {
    }

    static Path root() {
        return Path.of(System.getProperty("repository.root", "..")).toAbsolutePath().normalize();
    }

    static String projectVersion() {
        String version = System.getProperty("project.version");
        if (version == null || version.isBlank()) {
            throw new IllegalStateException("run by Maven: surefire passes project.version");
        }
        return version;
    }

    static Element parse(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    /** Parses XML; a fragment with several top-level elements (a README snippet) is wrapped first. */
    static Element parse(String xml) {
        String text = xml.strip();
        if (!text.startsWith("<?xml")) {
            text = "<fragment>" + text + "</fragment>";
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = factory.newDocumentBuilder().parse(new InputSource(new StringReader(text)));
            return doc.getDocumentElement();
        } catch (Exception e) {
            throw new IllegalArgumentException("not XML: " + e.getMessage() + "\n" + xml, e);
        }
    }

    static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent == null ? null : parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    static String text(Element parent, String name) {
        Element e = parent == null ? null : child(parent, name);
        return e == null ? null : e.getTextContent().strip();
    }

    /** The {@code <dependency>} elements under {@code path} (e.g. "dependencyManagement/dependencies"). */
    static List<Dependency> dependencies(Element project, String path) {
        Element at = project;
        for (String step : path.split("/")) {
            at = at == null ? null : child(at, step);
        }
        List<Dependency> out = new ArrayList<>();
        for (Element d : children(at, "dependency")) {
            out.add(new Dependency(text(d, "groupId"), text(d, "artifactId"), text(d, "version"),
                    text(d, "type"), text(d, "scope")));
        }
        return out;
    }

    /** The reactor's modules, directory to POM root element, in the root POM's order. */
    static Map<String, Element> modules() throws IOException {
        Map<String, Element> out = new LinkedHashMap<>();
        Element root = parse(root().resolve("pom.xml"));
        for (Element m : children(child(root, "modules"), "module")) {
            String dir = m.getTextContent().strip();
            out.put(dir, parse(root().resolve(dir).resolve("pom.xml")));
        }
        return out;
    }
}
