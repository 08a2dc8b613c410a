package dev.photoscore.bench;

/**
 * What AWS charges per 1,000 photos at list prices (us-east-1): Lambda compute by GB-second (duration rounded up to
 * the millisecond), Lambda requests, and API Gateway HTTP API requests. DynamoDB metering and data transfer are
 * not included.
 */
final class LambdaCost {

    static final double X86_PER_GB_SECOND = 0.0000166667;
    static final double ARM64_PER_GB_SECOND = 0.0000133334;
    static final double PER_REQUEST = 0.20 / 1_000_000;
    static final double HTTP_API_PER_REQUEST = 1.00 / 1_000_000;
    static final double EVERYPIXEL_PER_1000 = 0.60;
    static final double REKOGNITION_IMAGE_PROPERTIES_PER_1000 = 0.75;

    private LambdaCost() {
    }

    /** Lambda compute for 1,000 requests of {@code millis} each at {@code memoryMb}. */
    static double computePer1000(double millis, int memoryMb, double perGbSecond) {
        return 1000 * Math.ceil(millis) / 1000 * (memoryMb / 1024.0) * perGbSecond;
    }

    /** Compute, Lambda requests and HTTP API requests for 1,000 photos. */
    static double totalPer1000(double millis, int memoryMb, double perGbSecond) {
        return computePer1000(millis, memoryMb, perGbSecond) + 1000 * (PER_REQUEST + HTTP_API_PER_REQUEST);
    }
}
