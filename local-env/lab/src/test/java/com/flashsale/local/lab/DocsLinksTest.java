package com.flashsale.local.lab;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A newcomer's clone holds everything the README and docs/ link to: no relative link points to nothing. */
class DocsLinksTest {

    private static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();
    /** [text](target) with a relative target; the part after # is an anchor, not a file. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)\\s]*)?\\)");

    @Test
    void shouldResolveEveryRelativeLink_inTheReadmeAndDocs() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(REPOSITORY.resolve("README.md")));
        try (Stream<Path> docs = Files.list(REPOSITORY.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            broken.addAll(brokenLinks(page));
        }
        assertThat(pages).as("README.md and docs/*.md").hasSizeGreaterThan(1);
        assertThat(broken).as("relative links to nothing").isEmpty();
    }

    @Test
    void shouldFindTheBrokenLink_whenAPageLinksAMissingFile() throws IOException {
        Path page = Files.createTempFile("page", ".md");
        Files.writeString(page, "[ok](" + page.getFileName() + ") [web](https://example.com) [gone](missing/file.md#top)");

        assertThat(brokenLinks(page)).singleElement().asString().contains("missing/file.md");
    }

    private static List<String> brokenLinks(Path page) throws IOException {
        List<String> broken = new ArrayList<>();
        Matcher link = LINK.matcher(Files.readString(page));
        while (link.find()) {
            String target = link.group(1);
            if (!target.matches("^[a-z]+:.*") && !Files.exists(page.getParent().resolve(target))) {
                broken.add(REPOSITORY.relativize(page) + " -> " + target);
            }
        }
        return broken;
    }
}
