import dev.photoscore.image.DecodeSize;
import dev.photoscore.image.DecodedPhoto;
import dev.photoscore.image.PhotoDecoder;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.quality.Plane;
import dev.photoscore.quality.WorkingImage;
import dev.photoscore.scoring.WorkingSize;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * What the one pass after the decode gives, as hashes to compare between two builds of the core: for every photo,
 * decoded as the scorer decodes it (reduced to the quality graph's working size's decode size) and in full, a
 * SHA-256 of the raw float bits of the graph's tensor ({@code WorkingSize.prepare}), of the working copy's planes
 * (red, green, blue, luma, native-crop luma) and of every flag detector's measures. One line per photo and decode;
 * two builds agree when their outputs are the same file.
 *
 *   java -cp CLASSPATH PassBits.java generate DIR          (writes generated photos into DIR, once)
 *   java -cp CLASSPATH PassBits.java hash DIR_OR_FILE...   (prints the hashes)
 *
 * Generated: textured photos of many sizes (panoramas, tiny ones, ones around the working size) as JPEG q90 4:2:0,
 * PNG, JPEG with EXIF orientations 2-8 and JPEG with embedded ICC profiles (sRGB's own, linear RGB, a wide gamut).
 */
public class PassBits {

    private static final WorkingSize GRAPH = new WorkingSize(250_000);

    public static void main(String[] args) throws Exception {
        if (args[0].equals("generate")) {
            generate(Path.of(args[1]));
            return;
        }
        PhotoLimits limits = PhotoLimits.api().withoutSizeLimits();
        PhotoDecoder reduced = new PhotoDecoder(limits, GRAPH.decodeSize());
        PhotoDecoder full = new PhotoDecoder(limits, DecodeSize.full());
        List<Path> files = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            Path p = Path.of(args[i]);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.toString().matches("(?i).*\\.(jpe?g|png)$")).sorted().forEach(files::add);
                }
            } else {
                files.add(p);
            }
        }
        Object[] detectors = detectors();
        Method measure = Class.forName("dev.photoscore.quality.flags.FlagDetector")
                .getDeclaredMethod("measure", WorkingImage.class);
        measure.setAccessible(true);
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            for (PhotoDecoder decoder : new PhotoDecoder[] {reduced, full}) {
                String label = file.getFileName() + (decoder == reduced ? " reduced" : " full");
                DecodedPhoto photo;
                try {
                    photo = decoder.decode(bytes);
                } catch (Exception e) {
                    System.out.println(label + " not decoded: " + e.getMessage());
                    continue;
                }
                WorkingSize.Prepared prepared = GRAPH.prepare(photo.image(), photo.nativeCrop());
                WorkingImage w = prepared.working();
                StringBuilder line = new StringBuilder(label).append(' ').append(photo.width()).append('x')
                        .append(photo.height()).append(" tensor ").append(prepared.tensor().width()).append('x')
                        .append(prepared.tensor().height()).append(' ').append(hash(prepared.tensor().chw()));
                for (Plane plane : new Plane[] {w.red(), w.green(), w.blue(), w.luma(), w.nativeLuma()}) {
                    float[] data = new float[plane.width() * plane.height()];
                    plane.copyTo(data, 0);
                    line.append(' ').append(hash(data));
                }
                line.append(" measures");
                for (Object detector : detectors) {
                    line.append(' ').append(hash((double[]) measure.invoke(detector, w)));
                }
                System.out.println(line);
            }
        }
    }

    private static Object[] detectors() throws Exception {
        var field = Class.forName("dev.photoscore.quality.flags.PhotoFlags").getDeclaredField("DETECTORS");
        field.setAccessible(true);
        return ((List<?>) field.get(null)).toArray();
    }

    private static String hash(float[] values) throws Exception {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bytes.putInt(Float.floatToRawIntBits(v));
        }
        return digest(bytes.array());
    }

    private static String hash(double[] values) throws Exception {
        ByteBuffer bytes = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            bytes.putLong(Double.doubleToRawLongBits(v));
        }
        return digest(bytes.array());
    }

    private static String digest(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
    }

    private static void generate(Path dir) throws Exception {
        Files.createDirectories(dir);
        int[][] sizes = {{4000, 3000}, {3000, 4000}, {4032, 3024}, {5000, 3333}, {2048, 1536}, {1920, 1080},
            {1000, 1000}, {999, 1001}, {1333, 1000}, {517, 389}, {500, 500}, {362, 362}, {363, 361}, {640, 480},
            {123, 77}, {100, 40}, {47, 33}, {32, 32}, {33, 500}, {8000, 600}, {7000, 200}, {300, 5000},
            {64, 4000}, {1000, 6000}, {8000, 1200}, {6000, 4000}, {2001, 2000}, {2667, 2000}, {1201, 900}};
        for (int[] size : sizes) {
            BufferedImage image = textured(size[0], size[1], size[0] * 31L + size[1]);
            String name = size[0] + "x" + size[1];
            Files.write(dir.resolve(name + ".jpg"), jpeg(image));
            if ((long) size[0] * size[1] <= 12_000_000L) {
                Files.write(dir.resolve(name + ".png"), png(image));
            }
        }
        BufferedImage photo = textured(4000, 3000, 7);
        byte[] plain = jpeg(photo);
        for (int orientation = 2; orientation <= 8; orientation++) {
            Files.write(dir.resolve("4000x3000-exif" + orientation + ".jpg"), withExifOrientation(plain, orientation));
        }
        BufferedImage small = textured(1800, 1200, 8);
        byte[] smallPlain = jpeg(small);
        Files.write(dir.resolve("1800x1200-exif6.jpg"), withExifOrientation(smallPlain, 6));
        Files.write(dir.resolve("4000x3000-icc-srgb.jpg"), withIcc(plain, ICC_Profile.getInstance(ColorSpace.CS_sRGB)));
        Files.write(dir.resolve("4000x3000-icc-linear.jpg"),
                withIcc(plain, ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB)));
        Files.write(dir.resolve("1800x1200-icc-linear.jpg"),
                withIcc(smallPlain, ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB)));
        Files.write(dir.resolve("4000x3000-icc-linear-exif8.jpg"),
                withExifOrientation(withIcc(plain, ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB)), 8));
    }

    /** Smooth gradients, a few edges and seeded grain: something for every detector. */
    private static BufferedImage textured(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double u = (double) x / width;
                double v = (double) y / height;
                int edge = ((x / Math.max(1, width / 7)) + (y / Math.max(1, height / 5))) % 2 == 0 ? 40 : 0;
                int r = clamp((int) (200 * u + 30 * Math.sin(x * 0.05) + edge + random.nextGaussian() * 6));
                int g = clamp((int) (180 * v + 40 * Math.cos(y * 0.03) + edge + random.nextGaussian() * 6));
                int b = clamp((int) (120 + 80 * Math.sin((x + y) * 0.01) - edge + random.nextGaussian() * 6));
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static byte[] jpeg(BufferedImage image) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.9f);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        }
        writer.dispose();
        return out.toByteArray();
    }

    private static byte[] png(BufferedImage image) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** An APP1 Exif segment (big-endian TIFF, one IFD entry: Orientation) right after SOI. */
    private static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(26);
        tiff.put("MM".getBytes(StandardCharsets.US_ASCII)).putShort((short) 42).putInt(8).putShort((short) 1)
                .putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation)
                .putShort((short) 0).putInt(0);
        byte[] exif = "Exif\0\0".getBytes(StandardCharsets.US_ASCII);
        return withSegment(jpeg, 0xE1, concat(exif, tiff.array()));
    }

    /** The profile in one APP2 ICC_PROFILE chunk, right after SOI. */
    private static byte[] withIcc(byte[] jpeg, ICC_Profile profile) {
        byte[] header = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);
        return withSegment(jpeg, 0xE2, concat(header, new byte[] {1, 1}, profile.getData()));
    }

    private static byte[] withSegment(byte[] jpeg, int marker, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + 4 + payload.length);
        out.put(jpeg, 0, 2).put((byte) 0xFF).put((byte) marker).putShort((short) (payload.length + 2)).put(payload)
                .put(jpeg, 2, jpeg.length - 2);
        return out.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
