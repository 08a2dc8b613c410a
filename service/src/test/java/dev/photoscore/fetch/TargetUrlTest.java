package dev.photoscore.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.fetch.FetchException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TargetUrlTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "http://example.com                    | http://example.com/",
                "HTTPS://Example.COM/a/b?c=d#frag      | https://example.com/a/b?c=d",
                "http://example.com:8080/x             | http://example.com:8080/x",
                "http://example.com:/x                 | http://example.com/x",
                "http://bücher.de/bild.jpg             | http://xn--bcher-kva.de/bild.jpg",
                "http://2130706433:8080/a%20b.jpg      | http://127.0.0.1:8080/a%20b.jpg",
                "http://0x7f.1/                        | http://127.0.0.1/",
                "http://[::FFFF:7f00:1]:81/            | http://[::ffff:7f00:1]:81/",
                "'  http://example.com/x.jpg  '        | http://example.com/x.jpg",
            })
    void canonicalises(String url, String canonical) throws FetchException {
        assertEquals(canonical, TargetUrl.parse(url).uri().toString());
    }

    @Test
    void aHostNameIsNoLiteral() throws FetchException {
        assertTrue(TargetUrl.parse("http://1.2.3.example/").literal().isEmpty());
        assertTrue(TargetUrl.parse("http://0xcafe.example/").literal().isEmpty());
    }

    @ParameterizedTest(name = "invalid: {0}")
    @ValueSource(
            strings = {
                "",
                "not a url",
                "example.com/photo.jpg",
                "ftp://example.com/photo.jpg",
                "file:///etc/passwd",
                "gopher://127.0.0.1:70/",
                "jar:http://example.com/a.jar!/x",
                "http:photo.jpg",
                "http:///photo.jpg",
                "http://user:secret@example.com/",
                "http://example.com@127.0.0.1/",
                "http://example.com:0/",
                "http://example.com:65536/",
                "http://example.com:80a/",
                "http://my_host.example.com/",
                "http://%31%32%37.0.0.1/",
                "http://a..b/",
                "http://-a.example/",
                "http://1.2.3.4.5/",
                "http://256.0.0.1/",
                "http://1.2.3.256/",
                "http://1.2.65536/",
                "http://4294967296/",
                "http://08.0.0.1/",
                "http://0x1g.0.0.1/",
                "http://1.2.3.09/",
                "http://[::1/",
                "http://[::1]x/",
                "http://[fe80::1%25eth0]/",
                "http://[127.0.0.1]/",
                "http://[::zz]/",
                "http://[localhost]/",
                // Found by TargetUrlFuzzTest: a last label starting with a digit is no host to
                // java.net.URI.
                "http://0177.0.0.1tp:/photo",
                "http://example.1com/",
                // Found by TargetUrlFuzzTest: java.net.URI throws NumberFormatException on this
                // IPv6 literal.
                "https://[::ffff:127.0.0.11666666666666666666666666663332.]:8443/x"
            })
    void refusesMalformed(String url) {
        FetchException e = assertThrows(FetchException.class, () -> TargetUrl.parse(url));
        assertEquals(Reason.INVALID_URL, e.reason(), e.getMessage());
    }

    @ParameterizedTest(name = "redirect {0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/other.png              | http://example.com:8080/other.png",
                "sibling.jpg             | http://example.com:8080/dir/sibling.jpg",
                "../up.jpg               | http://example.com:8080/up.jpg",
                "?q=1                    | http://example.com:8080/dir/page?q=1",
                "''                      | http://example.com:8080/dir/page",
                "#top                    | http://example.com:8080/dir/page",
                "../../../up.jpg         | http://example.com:8080/up.jpg",
                "/..                     | http://example.com:8080/",
                "//cdn.example.net/i.jpg | http://cdn.example.net/i.jpg",
                "https://0251.0376.0251.0376/latest | https://169.254.169.254/latest",
            })
    void resolvesRedirects(String location, String target) throws FetchException {
        TargetUrl base = TargetUrl.parse("http://example.com:8080/dir/page");
        assertEquals(target, base.redirect(location).uri().toString());
    }

    @ParameterizedTest(name = "bad redirect: {0}")
    @ValueSource(
            strings = {
                "file:///etc/passwd",
                "ftp://example.com/",
                "http://exa mple.com/",
                "http://[::1/",
                "http://[::ffff:127.0.0.11666666666666666666666666663332.]/"
            })
    void refusesUnusableRedirects(String location) throws FetchException {
        TargetUrl base = TargetUrl.parse("http://example.com/");
        FetchException e = assertThrows(FetchException.class, () -> base.redirect(location));
        assertEquals(Reason.BAD_REDIRECT, e.reason(), e.getMessage());
    }
}
