package com.flashsale.local.runtime.lambda;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.amazonaws.services.lambda.runtime.serialization.util.SerializeUtil;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * One Lambda function, run the way the Lambda Java runtime runs it: from its deployable jar, in a
 * class loader of its own that sees nothing of ours, the handler built by its no-arg constructor,
 * and each event handed over as JSON through the runtime's own serializers, or through the function's
 * {@code CustomPojoSerializer} when its jar declares one. A packaging mistake
 * (a missing dependency, unmerged service files) therefore fails here, not on launch night.
 */
public final class LocalFunction implements Invocable, AutoCloseable {

    private static final String REQUEST_HANDLER = "com.amazonaws.services.lambda.runtime.RequestHandler";
    private static final String CONTEXT = "com.amazonaws.services.lambda.runtime.Context";
    private static final String LOGGER = "com.amazonaws.services.lambda.runtime.LambdaLogger";
    private static final String CUSTOM_SERIALIZER = "com.amazonaws.services.lambda.runtime.CustomPojoSerializer";


    private final String name;
    private final URLClassLoader loader;
    private final Object handler;
    private final Method handleRequest;
    private final PojoSerializer<Object> input;
    private final PojoSerializer<Object> output;
    private final Class<?> contextType;
    private final Object logger;
    private final long coldStartMillis;
    private volatile long checkpointMillis = -1;

    private LocalFunction(String name, Path artifact, String handlerClass) throws ReflectiveOperationException {
        this.name = name;
        long started = System.nanoTime();
        this.loader = new URLClassLoader("lambda-" + name, new URL[] {url(artifact)}, ClassLoader.getPlatformClassLoader());
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Class<?> type = loader.loadClass(handlerClass);
            this.contextType = loader.loadClass(CONTEXT);
            Class<?> requestHandler = loader.loadClass(REQUEST_HANDLER);
            Type[] io = typeArguments(type, requestHandler, Map.of())
                    .orElseThrow(() -> new IllegalArgumentException(handlerClass + " is not a RequestHandler"));
            this.handleRequest = requestHandler.getMethod("handleRequest", Object.class, contextType);
            Optional<Object> custom = customSerializer();
            this.input = custom.isPresent() ? new CustomSerializer(custom.get(), io[0]) : serializerFor(raw(io[0]));
            this.output = custom.isPresent() ? new CustomSerializer(custom.get(), io[1]) : serializerFor(raw(io[1]));
            Class<?> loggerType = loader.loadClass(LOGGER);
            this.logger = Proxy.newProxyInstance(loader, new Class<?>[] {loggerType}, (proxy, method, args) -> {
                if (method.getName().equals("log") && args != null && args.length > 0) {
                    System.out.println("[" + name + "] " + (args[0] instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : args[0]));
                }
                return null;
            });
            this.handler = type.getConstructor().newInstance();
        } finally {
            thread.setContextClassLoader(previous);
        }
        this.coldStartMillis = (System.nanoTime() - started) / 1_000_000;
    }

    /**
     * Loads and initialises a function, as a cold start does.
     *
     * @param artifact     the jar Maven built for Lambda ({@code functions/<name>/target/<name>-lambda.jar})
     * @param handlerClass the Lambda handler setting
     */
    public static LocalFunction load(String name, Path artifact, String handlerClass) {
        if (!Files.isRegularFile(artifact)) {
            throw new IllegalStateException("no artifact for " + name + " at " + artifact + ": run mvn package first");
        }
        try {
            return new LocalFunction(name, artifact, handlerClass);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("function " + name + " failed to start", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("function " + name + " cannot be loaded from " + artifact, e);
        }
    }

    /** Invokes the handler with one event and returns its response as JSON. */
    @Override
    public String invoke(String eventJson) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Object event = input.fromJson(eventJson);
            Object result = handleRequest.invoke(handler, event, context());
            if (result == null) {
                return "null";
            }
            var json = new ByteArrayOutputStream();
            output.toJson(result, json);
            return json.toString(StandardCharsets.UTF_8);
        } catch (InvocationTargetException e) {
            throw new FunctionError(name, e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public String name() {
        return name;
    }

    public long coldStartMillis() {
        return coldStartMillis;
    }

    /**
     * SnapStart's checkpoint and restore, as Lambda runs them when it publishes a version: every CRaC
     * resource of the function's Micronaut context (micronaut-crac's {@code OrderedResource} beans,
     * those it registers with org.crac's global context) gets {@code beforeCheckpoint} in reverse
     * order of registration, then {@code afterRestore} in order. The API functions' invoke priming
     * runs in their hook (issue 18); the others' hooks close and reopen their connections. There is
     * no CRaC JVM here, so nothing is snapshotted: the container simply goes on, primed. A handler
     * without a Micronaut context, or a function without micronaut-crac, is left as it is.
     *
     * @return how long it took, in ms
     */
    public long checkpointAndRestore() {
        long started = System.nanoTime();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            List<Object> resources = cracResources();
            Method before = resource("org.crac.Resource").getMethod("beforeCheckpoint", resource("org.crac.Context"));
            Method after = resource("org.crac.Resource").getMethod("afterRestore", resource("org.crac.Context"));
            for (int i = resources.size() - 1; i >= 0; i--) {
                before.invoke(resources.get(i), (Object) null);
            }
            for (Object resource : resources) {
                after.invoke(resource, (Object) null);
            }
        } catch (InvocationTargetException e) {
            throw new FunctionError(name, e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("checkpoint hooks of " + name + " cannot be run", e);
        } finally {
            thread.setContextClassLoader(previous);
        }
        checkpointMillis = (System.nanoTime() - started) / 1_000_000;
        return checkpointMillis;
    }

    /** The context's CRaC resources in micronaut-crac's order of registration (by {@code Ordered}); none without. */
    private List<Object> cracResources() throws ReflectiveOperationException {
        Class<?> provider;
        Class<?> ordered;
        try {
            provider = resource("io.micronaut.context.ApplicationContextProvider");
            ordered = resource("io.micronaut.crac.OrderedResource");
        } catch (ClassNotFoundException e) {
            return List.of();
        }
        if (!provider.isInstance(handler)) {
            return List.of();
        }
        Object context = provider.getMethod("getApplicationContext").invoke(handler);
        Collection<?> beans = (Collection<?>) resource("io.micronaut.context.BeanContext")
                .getMethod("getBeansOfType", Class.class).invoke(context, ordered);
        Method order = resource("io.micronaut.core.order.Ordered").getMethod("getOrder");
        List<Object> sorted = new ArrayList<>(beans);
        Map<Object, Integer> orders = new IdentityHashMap<>();
        for (Object bean : sorted) {
            orders.put(bean, (Integer) order.invoke(bean));
        }
        sorted.sort(Comparator.comparingInt(orders::get));
        return sorted;
    }

    private Class<?> resource(String className) throws ClassNotFoundException {
        return loader.loadClass(className);
    }

    /** How long {@link #checkpointAndRestore} took; -1 when it did not run. */
    public long checkpointMillis() {
        return checkpointMillis;
    }

    /** A fresh Lambda context per invocation, as AWS passes one. */
    private Object context() {
        String requestId = AwsRequestIds.next();
        long deadline = System.currentTimeMillis() + 30_000;
        return Proxy.newProxyInstance(loader, new Class<?>[] {contextType}, (proxy, method, args) -> switch (method.getName()) {
            case "getAwsRequestId" -> requestId;
            case "getFunctionName" -> "flashsale-" + name;
            case "getFunctionVersion" -> "$LATEST";
            case "getInvokedFunctionArn" -> "arn:aws:lambda:local:000000000000:function:flashsale-" + name;
            case "getLogGroupName" -> "/aws/lambda/flashsale-" + name;
            case "getLogStreamName" -> "local";
            case "getRemainingTimeInMillis" -> (int) Math.max(0, deadline - System.currentTimeMillis());
            case "getMemoryLimitInMB" -> 1024;
            case "getLogger" -> logger;
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> "LocalContext[" + requestId + "]";
            default -> null;
        });
    }

    /**
     * The actual {@code <I, O>} of {@code RequestHandler} for a handler class, through its generic
     * superclasses and interfaces, as the Lambda runtime resolves them.
     */
    static Optional<Type[]> typeArguments(Type type, Class<?> target, Map<TypeVariable<?>, Type> bindings) {
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Map<TypeVariable<?>, Type> next = new HashMap<>(bindings);
            Type[] arguments = parameterized.getActualTypeArguments();
            for (int i = 0; i < arguments.length; i++) {
                next.put(raw.getTypeParameters()[i], arguments[i] instanceof TypeVariable<?> v ? bindings.getOrDefault(v, v) : arguments[i]);
            }
            if (raw == target) {
                return Optional.of(Arrays.stream(raw.getTypeParameters()).map(next::get).toArray(Type[]::new));
            }
            return supertypes(raw).map(s -> typeArguments(s, target, next)).flatMap(Optional::stream).findFirst();
        }
        if (type instanceof Class<?> raw) {
            return supertypes(raw).map(s -> typeArguments(s, target, bindings)).flatMap(Optional::stream).findFirst();
        }
        return Optional.empty();
    }

    private static java.util.stream.Stream<Type> supertypes(Class<?> type) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.ofNullable(type.getGenericSuperclass()),
                Arrays.stream(type.getGenericInterfaces()));
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    /**
     * The function's own {@code CustomPojoSerializer} (a service its jar declares), which the Lambda
     * runtime then uses for every event and response instead of its own: one instance, made now, as
     * the runtime makes it when it loads the handler (PojoSerializerLoader).
     */
    @SuppressWarnings("unchecked")
    private Optional<Object> customSerializer() throws ReflectiveOperationException {
        Class<Object> service;
        try {
            service = (Class<Object>) loader.loadClass(CUSTOM_SERIALIZER);
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
        Iterator<Object> found = ServiceLoader.load(service, loader).iterator();
        if (!found.hasNext()) {
            return Optional.empty();
        }
        Object serializer = found.next();
        if (found.hasNext()) {
            throw new IllegalStateException(name + " declares more than one CustomPojoSerializer: the Lambda runtime refuses that");
        }
        return Optional.of(serializer);
    }

    /** A {@code CustomPojoSerializer} of the function's class loader, for one type. */
    private final class CustomSerializer implements PojoSerializer<Object> {

        private final Object serializer;
        private final Type type;
        private final Method fromStream;
        private final Method fromString;
        private final Method toJson;

        CustomSerializer(Object serializer, Type type) throws ReflectiveOperationException {
            Class<?> service = loader.loadClass(CUSTOM_SERIALIZER);
            this.serializer = serializer;
            this.type = type;
            this.fromStream = service.getMethod("fromJson", InputStream.class, Type.class);
            this.fromString = service.getMethod("fromJson", String.class, Type.class);
            this.toJson = service.getMethod("toJson", Object.class, OutputStream.class, Type.class);
        }

        @Override
        public Object fromJson(InputStream input) {
            return call(fromStream, input, type);
        }

        @Override
        public Object fromJson(String input) {
            return call(fromString, input, type);
        }

        @Override
        public void toJson(Object value, OutputStream output) {
            call(toJson, value, output, type);
        }

        private Object call(Method method, Object... args) {
            try {
                return method.invoke(serializer, args);
            } catch (InvocationTargetException e) {
                throw new FunctionError(name, e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private PojoSerializer<Object> serializerFor(Class<?> type) {
        if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
            synchronized (SerializeUtil.class) {
                // the runtime library caches the classes it loads (joda's DateTime of a ScheduledEvent) by
                // name alone, for one function per JVM; a second container would get the first one's class
                forgetLoadedClasses();
                return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(type, loader);
            }
        }
        return (PojoSerializer<Object>) JacksonFactory.getInstance().getSerializer(type);
    }

    private static void forgetLoadedClasses() {
        try {
            Field cache = SerializeUtil.class.getDeclaredField("cachedClasses");
            cache.setAccessible(true);
            ((Map<?, ?>) cache.get(null)).clear();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("aws-lambda-java-serialization changed its class cache", e);
        }
    }

    private static URL url(Path artifact) {
        try {
            return artifact.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() {
        if (handler instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                System.err.println("closing " + name + ": " + e);
            }
        }
        // the class loader stays open: client threads of the function may still be winding down
    }

    /** The handler threw: in Lambda, an invocation error. */
    public static final class FunctionError extends RuntimeException {
        FunctionError(String function, Throwable cause) {
            super(function + " failed: " + cause, cause);
        }
    }
}
