package dev.photoscore.api;

import dev.photoscore.image.PhotoLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.apache.commons.fileupload2.core.AbstractFileUpload;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadByteCountLimitException;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.RequestContext;

/**
 * The photo of a {@code multipart/form-data} body: the one part named {@value #FIELD}, parsed with Apache Commons
 * FileUpload (streaming, nothing written to disk). Other parts are ignored; the photo part twice is an error.
 */
final class MultipartPhoto {

    static final String FIELD = "data";
    static final int MAX_PART_HEADER_BYTES = 8 * 1024;

    private MultipartPhoto() {
    }

    static boolean isMultipart(ApiRequest request) {
        return request.header("content-type").map(t -> t.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/"))
                .orElse(false);
    }

    /** The bytes of the {@code data} part, at most {@code maxBytes}; 400 or 413 answers otherwise. */
    static byte[] read(ApiRequest request, long maxBytes) {
        Upload upload = new Upload();
        upload.setMaxFileSize(maxBytes);
        upload.setMaxFileCount(16);
        // FileUpload's default of 512 bytes refuses a part whose file name is a few hundred characters long.
        upload.setMaxPartHeaderSize(MAX_PART_HEADER_BYTES);
        byte[] photo = null;
        try {
            FileItemInputIterator parts = upload.getItemIterator(new BodyContext(request));
            while (parts.hasNext()) {
                FileItemInput part = parts.next();
                if (!FIELD.equals(part.getFieldName())) {
                    continue;
                }
                if (photo != null) {
                    throw new ApiException(400, "the form has more than one '" + FIELD + "' part; send one photo");
                }
                try (InputStream in = part.getInputStream()) {
                    photo = in.readAllBytes();
                }
            }
        } catch (FileUploadByteCountLimitException e) {
            throw new ApiException(413, "the photo is too large: direct uploads are limited to "
                    + PhotoLimits.inWords(maxBytes) + " here");
        } catch (IOException e) {
            // Every other size limit (a part's headers, the count of parts) means a malformed form, not a large photo.
            throw new ApiException(400, "the multipart/form-data body is malformed: " + Optional.ofNullable(
                    e.getMessage()).orElse(e.getClass().getSimpleName()));
        }
        if (photo == null) {
            throw new ApiException(400, "the form has no '" + FIELD + "' part holding the photo");
        }
        return photo;
    }

    /** FileUpload's parser over a request we already hold in memory. */
    private static final class Upload extends AbstractFileUpload<RequestContext, DiskFileItem, DiskFileItemFactory> {

        @Override
        public FileItemInputIterator getItemIterator(RequestContext context) throws FileUploadException, IOException {
            return super.getItemIterator(context);
        }

        @Override
        public java.util.Map<String, java.util.List<DiskFileItem>> parseParameterMap(RequestContext context)
                throws FileUploadException {
            return super.parseParameterMap(context);
        }

        @Override
        public java.util.List<DiskFileItem> parseRequest(RequestContext context) throws FileUploadException {
            return super.parseRequest(context);
        }
    }

    private record BodyContext(ApiRequest request) implements RequestContext {

        @Override
        public String getCharacterEncoding() {
            return null;
        }

        @Override
        public long getContentLength() {
            return request.body().length;
        }

        @Override
        public String getContentType() {
            return request.header("content-type").orElse(null);
        }

        @Override
        public InputStream getInputStream() {
            return new ByteArrayInputStream(request.body());
        }

        @Override
        public boolean isMultipartRelated() {
            return false;
        }
    }
}
