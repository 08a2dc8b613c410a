package dev.photoscore.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class QualityFeaturesTest {

    private static BufferedImage sharp;
    private static FeatureVector sharpFeatures;

    @BeforeAll
    static void sharpPhoto() {
        sharp = TestImages.deadLeaves(384, 288, 42);
        sharpFeatures = QualityFeatures.extract(sharp);
    }

    @Test
    void vectorHasTheDeclaredNamesInOrder() {
        List<String> names = QualityFeatures.names();
        assertEquals(names, sharpFeatures.names());
        assertEquals(names.size(), new HashSet<>(names).size(), "names are unique");
        assertEquals(6 + 8 + 2 + 2 + 3 + 2 + 18 + 28, names.size());
        assertEquals(QualityFeatures.VERSION, sharpFeatures.version());
        assertEquals(sharpFeatures.get(3), sharpFeatures.get(names.get(3)));
        assertThrows(IllegalArgumentException.class, () -> sharpFeatures.get("no.such_feature"));
    }

    @Test
    void extractionIsDeterministic() {
        assertEquals(sharpFeatures, QualityFeatures.extract(sharp));
    }

    @Test
    void aWorkingImageComputesEachGroupOnceForAllItsConsumers() {
        WorkingImage image = WorkingImage.of(sharp);
        double laplacian = QualityFeatures.value(image, "sharpness.laplacian_variance");
        FeatureVector features = QualityFeatures.extract(image);
        assertEquals(sharpFeatures, features);
        assertEquals((float) laplacian, features.get("sharpness.laplacian_variance"));
        FeatureGroup sharpness = new SharpnessFeatures();
        assertSame(image.values(sharpness), image.values(sharpness));
        assertThrows(IllegalArgumentException.class, () -> QualityFeatures.value(image, "no.such_feature"));
    }

    @Test
    void everyImageTypeGivesTheSameFeatures() {
        for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_INT_BGR,
                BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_INT_ARGB_PRE}) {
            assertEquals(sharpFeatures, QualityFeatures.extract(TestImages.copy(sharp, type)), "type " + type);
        }
        BufferedImage framed = new BufferedImage(sharp.getWidth() + 20, sharp.getHeight() + 10, BufferedImage.TYPE_3BYTE_BGR);
        framed.createGraphics().drawImage(sharp, 13, 7, null);
        assertEquals(sharpFeatures, QualityFeatures.extract(framed.getSubimage(13, 7, sharp.getWidth(), sharp.getHeight())),
                "a sub-image reads only its own pixels");
    }

    @Test
    void greySamplesOfAnyDepthAreReadAsEncodedGrey() {
        BufferedImage grey8 = new BufferedImage(200, 150, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage grey16 = new BufferedImage(200, 150, BufferedImage.TYPE_USHORT_GRAY);
        BufferedImage rgb = new BufferedImage(200, 150, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 150; y++) {
            for (int x = 0; x < 200; x++) {
                int v = (x * 7 + y * 3 + (x * y) % 17) % 256;
                grey8.getRaster().setSample(x, y, 0, v);
                grey16.getRaster().setSample(x, y, 0, v * 257);
                rgb.getRaster().setPixel(x, y, new int[] {v, v, v});
            }
        }
        FeatureVector expected = QualityFeatures.extract(rgb);
        assertEquals(expected, QualityFeatures.extract(grey8));
        FeatureVector deep = QualityFeatures.extract(grey16);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), deep.get(i), 1e-3 * Math.max(1, Math.abs(expected.get(i))), expected.names().get(i));
        }
    }

    @Test
    void blurLowersSharpnessAndWidensEdges() {
        FeatureVector blurred = QualityFeatures.extract(TestImages.gaussianBlur(sharp, 2));
        for (String falls : List.of("sharpness.laplacian_variance", "sharpness.tenengrad", "sharpness.fine_to_coarse",
                "sharpness.local_p90", "sharpness.local_median")) {
            assertTrue(blurred.get(falls) < sharpFeatures.get(falls) - 0.5,
                    falls + ": " + sharpFeatures.get(falls) + " -> " + blurred.get(falls));
        }
        assertTrue(blurred.get("sharpness.edge_width") > sharpFeatures.get("sharpness.edge_width") + 2,
                sharpFeatures.get("sharpness.edge_width") + " -> " + blurred.get("sharpness.edge_width"));
    }

    @Test
    void darkeningAndBlowingOutMoveTheExposureFeatures() {
        FeatureVector dark = QualityFeatures.extract(TestImages.scaled(sharp, 0.05));
        FeatureVector blown = QualityFeatures.extract(TestImages.scaled(sharp, 3));
        assertTrue(dark.get("exposure.mean") < 0.5 * sharpFeatures.get("exposure.mean"));
        assertTrue(blown.get("exposure.mean") > 1.5 * sharpFeatures.get("exposure.mean"));
        assertTrue(dark.get("exposure.p95") < sharpFeatures.get("exposure.p05") + 0.1);
        assertEquals(0, sharpFeatures.get("exposure.shadows_clipped"), "the dead leaves are drawn from 30 up");
        assertTrue(dark.get("exposure.shadows_clipped") > 0.05, "shadows " + dark.get("exposure.shadows_clipped"));
        assertTrue(blown.get("exposure.highlights_clipped") > 0.3 + sharpFeatures.get("exposure.highlights_clipped"));
        assertEquals(0.05 * sharpFeatures.get("contrast.rms"), dark.get("contrast.rms"), 0.005);
        assertTrue(dark.get("exposure.entropy") < sharpFeatures.get("exposure.entropy") - 1);
    }

    @Test
    void noiseEstimateRecoversTheSigmaOfAddedGaussianNoise() {
        BufferedImage flat = TestImages.grey(256, 256, 128);
        for (double sigma : new double[] {3, 10}) {
            FeatureVector noisy = QualityFeatures.extract(TestImages.withNoise(flat, sigma, 9));
            // Rounding to whole grey levels adds variance 1/12.
            double expected = Math.sqrt(sigma * sigma + 1.0 / 12);
            assertEquals(expected, noisy.get("noise.immerkaer_sigma"), 0.05 * expected);
            assertEquals(expected, noisy.get("noise.flat_sigma"), 0.1 * expected);
        }
        FeatureVector textured = QualityFeatures.extract(TestImages.withNoise(sharp, 5, 9));
        assertTrue(Math.abs(textured.get("noise.flat_sigma") - 5) < Math.abs(textured.get("noise.immerkaer_sigma") - 5),
                "leaving out edges brings the estimate closer on textured content");
    }

    @Test
    void colourfulnessOfGreyIsZero() {
        FeatureVector grey = QualityFeatures.extract(TestImages.map(sharp, (x, y, c, v) -> (sharp.getRGB(x, y) >> 8) & 0xff));
        assertEquals(0, grey.get("colour.colourfulness"));
        assertEquals(0, grey.get("colour.saturation"));
        assertTrue(sharpFeatures.get("colour.colourfulness") > 20, "random colours: " + sharpFeatures.get("colour.colourfulness"));
    }

    @Test
    void jpegCompressionRaisesTheBlockBoundaryRatio() throws IOException {
        BufferedImage soft = TestImages.gaussianBlur(sharp, 1.5);
        FeatureVector original = QualityFeatures.extract(soft);
        FeatureVector compressed = QualityFeatures.extract(jpeg(soft, 0.1f));
        assertEquals(1, original.get("blockiness.boundary_ratio"), 0.1);
        assertTrue(compressed.get("blockiness.boundary_ratio") > 1.3, "ratio " + compressed.get("blockiness.boundary_ratio"));
    }

    @Test
    void resolutionIsThatOfThePhotoAsDecoded() {
        FeatureVector large = QualityFeatures.extract(TestImages.grey(1600, 1200, 90));
        assertEquals(1.92, large.get("resolution.megapixels"), 1e-6);
        assertEquals(1200, large.get("resolution.short_side"));
    }

    @Test
    void mscnStatisticsSeparateNoiseFromNaturalEdges() {
        FeatureVector noise = QualityFeatures.extract(TestImages.withNoise(TestImages.grey(256, 256, 128), 20, 3));
        String s = "brisque.s1.";
        // Each coefficient is normalised by a local spread it contributes to, which bounds it: lighter tails than a
        // Gaussian, a shape above 2.
        assertTrue(noise.get(s + "mscn_shape") > 2, s + "mscn_shape " + noise.get(s + "mscn_shape"));
        // Subtracting the local mean is a high-pass filter: neighbours of white noise anti-correlate a little.
        assertTrue(noise.get(s + "h_mean") < 0 && noise.get(s + "h_mean") > -0.2, s + "h_mean " + noise.get(s + "h_mean"));
        // Flat areas broken by edges give heavy tails.
        assertTrue(sharpFeatures.get("brisque.s1.mscn_shape") < 1.5, "shape " + sharpFeatures.get("brisque.s1.mscn_shape"));
        FeatureVector noisy = QualityFeatures.extract(TestImages.withNoise(sharp, 15, 4));
        assertTrue(noisy.get("brisque.s1.mscn_shape") > sharpFeatures.get("brisque.s1.mscn_shape") + 0.3,
                "noise moves the shape towards that of noise");
    }

    @Test
    void logDerivativesSeeNoiseThatAFlatImageHasNot() {
        BufferedImage flat = TestImages.grey(256, 256, 128);
        FeatureVector smooth = QualityFeatures.extract(flat);
        FeatureVector noisy = QualityFeatures.extract(TestImages.withNoise(flat, 20, 5));
        for (int scale = 1; scale <= 2; scale++) {
            String s = "logderiv.s" + scale + ".";
            // A flat image normalises to coefficients of 0, whose logarithms are all ln 0.1: no differences; noise
            // spreads them.
            assertEquals(0, smooth.get(s + "d1_variance"), 1e-6);
            assertTrue(noisy.get(s + "d1_variance") > 0.1, s + "d1_variance " + noisy.get(s + "d1_variance"));
            // On nearly independent values a difference of two has twice their variance, of four four times.
            double ratio = noisy.get(s + "d5_variance") / noisy.get(s + "d1_variance");
            assertTrue(ratio > 1.6 && ratio < 2.4, s + "d5 over d1 variance " + ratio);
        }
    }

    @Test
    void everyFeatureIsFiniteOnAFlatImage() {
        FeatureVector flat = QualityFeatures.extract(TestImages.grey(64, 64, 0));
        for (int i = 0; i < flat.size(); i++) {
            assertTrue(Float.isFinite(flat.get(i)), flat.names().get(i));
        }
        assertEquals(1, flat.get("exposure.shadows_clipped"));
    }

    private static BufferedImage jpeg(BufferedImage image, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
    }
}
