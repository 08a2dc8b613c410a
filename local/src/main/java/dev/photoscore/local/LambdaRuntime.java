package dev.photoscore.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The JVM {@code invoke} starts for one invocation, in the function's environment: what the Lambda runtime does in a
 * fresh execution environment. It loads the handler the template names ({@code package.Class::method}) by name, with
 * its public no-argument constructor (the Lambda's), reads the event into the handler's input type the way the
 * runtime does (its own serializers for AWS events, JSON for maps and strings), calls it and writes the answer as JSON
 * to the result file; a handler that throws gets the runtime's error document ({@code errorMessage},
 * {@code errorType}) there and exit status 1. The function's logs go to this JVM's stdout and stderr.
 */
public final class LambdaRuntime {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LambdaRuntime() {
    }

    /** {@code HANDLER EVENT_FILE RESULT_FILE}. */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: LambdaRuntime HANDLER EVENT_FILE RESULT_FILE");
        }
        Path result = Path.of(args[2]);
        try {
            Files.write(result, invoke(args[0], Path.of(args[1])));
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            ObjectNode error = JSON.createObjectNode().put("errorMessage", String.valueOf(cause.getMessage()))
                    .put("errorType", cause.getClass().getName());
            Files.write(result, JSON.writeValueAsBytes(error));
            cause.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    /** The handler's answer to the event, as JSON. */
    static byte[] invoke(String handlerName, Path event) throws Exception {
        int separator = handlerName.indexOf("::");
        String className = separator < 0 ? handlerName : handlerName.substring(0, separator);
        String methodName = separator < 0 ? "handleRequest" : handlerName.substring(separator + 2);
        Class<?> type = Class.forName(className);
        if (!RequestHandler.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(className + " is not a Lambda RequestHandler");
        }
        Object handler = type.getConstructor().newInstance();
        // The method the class declares itself, not the erased bridge of the interface: its input type.
        Method method = Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(methodName) && m.getParameterCount() == 2 && !m.isBridge())
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(className + " has no method " + methodName
                        + "(input, Context)"));
        Object input;
        try (InputStream in = Files.newInputStream(event)) {
            input = read(method.getParameterTypes()[0], in);
        }
        Object output = method.invoke(handler, input, null);
        return write(output);
    }

    private static Object read(Class<?> inputType, InputStream in) throws Exception {
        if (LambdaEventSerializers.isLambdaSupportedEvent(inputType.getName())) {
            return LambdaEventSerializers.serializerFor(inputType, LambdaRuntime.class.getClassLoader()).fromJson(in);
        }
        Class<?> type = inputType.equals(Object.class) ? Map.class : inputType;
        return JSON.readValue(in, type);
    }

    @SuppressWarnings("unchecked")
    private static byte[] write(Object output) throws Exception {
        if (output != null && LambdaEventSerializers.isLambdaSupportedEvent(output.getClass().getName())) {
            PojoSerializer<Object> serializer = (PojoSerializer<Object>) LambdaEventSerializers
                    .serializerFor(output.getClass(), LambdaRuntime.class.getClassLoader());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            serializer.toJson(output, out);
            return out.toByteArray();
        }
        return JSON.writeValueAsBytes(output);
    }
}
