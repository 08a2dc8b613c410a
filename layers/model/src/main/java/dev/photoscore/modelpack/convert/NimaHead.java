package dev.photoscore.modelpack.convert;

/** idealo's two published NIMA MobileNet heads: their file names and git blob ids (idealo/image-quality-assessment). */
public enum NimaHead {
    AESTHETIC("aesthetic", "weights_mobilenet_aesthetic_0.07.hdf5", "003fb321ce92445e41d708144a3656589f9214e7"),
    TECHNICAL("technical", "weights_mobilenet_technical_0.11.hdf5", "5e4a4ca2ce639309bfa4038d0bc10ba92b93bd26");

    /** Where idealo publishes the weights; the build's default weights location. */
    public static final String PUBLISHED_BASE_URL =
            "https://github.com/idealo/image-quality-assessment/raw/master/models/MobileNet/";

    private final String id;
    private final String publishedFileName;
    private final String publishedBlobId;

    NimaHead(String id, String publishedFileName, String publishedBlobId) {
        this.id = id;
        this.publishedFileName = publishedFileName;
        this.publishedBlobId = publishedBlobId;
    }

    /** The head's name in the pack: the ONNX output and, prefixed with {@code nima.}, the calibration input. */
    public String id() {
        return id;
    }

    public String publishedFileName() {
        return publishedFileName;
    }

    public String publishedBlobId() {
        return publishedBlobId;
    }
}
