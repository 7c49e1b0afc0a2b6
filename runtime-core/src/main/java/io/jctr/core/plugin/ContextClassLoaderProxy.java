package io.jctr.core.plugin;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * Wraps an instance from a plugin jar so that every call into it runs with the plugin's class
 * loader as the thread context class loader: libraries inside the plugin that look classes up
 * through the context loader (ServiceLoader, JAXP, logging back ends) then find their own.
 * Only the instance's {@code io.jctr.spi} interfaces (and {@link AutoCloseable}) are exposed.
 */
final class ContextClassLoaderProxy implements InvocationHandler {

    private final Object target;
    private final ClassLoader loader;

    private ContextClassLoaderProxy(Object target, ClassLoader loader) {
        this.target = target;
        this.loader = loader;
    }

    static Object wrap(Object target, ClassLoader loader) {
        List<Class<?>> interfaces = new ArrayList<>();
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if ((i.getName().startsWith("io.jctr.spi.") || i == AutoCloseable.class) && !interfaces.contains(i)) {
                    interfaces.add(i);
                }
            }
        }
        if (interfaces.isEmpty()) {
            return target;
        }
        return Proxy.newProxyInstance(ContextClassLoaderProxy.class.getClassLoader(),
                interfaces.toArray(Class<?>[]::new), new ContextClassLoaderProxy(target, loader));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
