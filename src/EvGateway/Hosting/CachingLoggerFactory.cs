using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvGateway.Hosting;

/// <summary>
/// Serilog's logger factory builds a new logger, with caches of its own, on every CreateLogger call, and ASP.NET Core
/// asks for one on every response (each typed result logs through a logger it creates): that was a third of what a
/// cached status read allocated. Loggers are kept per category instead.
/// <para>
/// The hosting's own request diagnostics are not logged: its "Request starting/finished" lines are replaced by the
/// request log, and while its category is enabled ASP.NET Core starts an Activity and a log scope for every request
/// that nothing here reads (the console shows messages, not scopes).
/// </para>
/// </summary>
internal sealed class CachingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";

    private readonly ConcurrentDictionary<string, ILogger> loggers = new(StringComparer.Ordinal);

    /// <summary>Wraps the logger factory registered last (Serilog's).</summary>
    public static void Register(IServiceCollection services)
    {
        var registered = services.Last(service => service.ServiceType == typeof(ILoggerFactory));
        services.Remove(registered);
        services.AddSingleton<ILoggerFactory>(provider => new CachingLoggerFactory(registered switch
        {
            { ImplementationInstance: ILoggerFactory instance } => instance,
            { ImplementationFactory: { } factory } => (ILoggerFactory)factory(provider),
            _ => (ILoggerFactory)ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!),
        }));
    }

    public ILogger CreateLogger(string categoryName) =>
        loggers.GetOrAdd(categoryName, static (category, factory) => category == HostingDiagnostics ? NullLogger.Instance : factory.CreateLogger(category), inner);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();
}
