using EvGateway.Hosting;
using EvGateway.Simulator;
using EvGateway.Vehicles;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.Infrastructure;

/// <summary>
/// The real gateway in-process (WebApplicationFactory) wired to a simulator of its own on loopback sockets, both on
/// one FakeTimeProvider so tests can expire tokens and end quotas without waiting.
/// </summary>
public sealed class GatewayApp : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> factory;
    private readonly string dataDirectory;

    private GatewayApp(CloudSimulator simulator, FakeTimeProvider time, WebApplicationFactory<Program> factory, string dataDirectory, CapturedLog log)
    {
        Log = log;
        Simulator = simulator;
        Time = time;
        this.factory = factory;
        this.dataDirectory = dataDirectory;
        Client = factory.CreateClient();
    }

    public CloudSimulator Simulator { get; }
    public FakeTimeProvider Time { get; }
    public HttpClient Client { get; }
    public IServiceProvider Services => factory.Services;

    /// <summary>Everything the gateway logged.</summary>
    public CapturedLog Log { get; }

    public static async Task<GatewayApp> StartAsync(Dictionary<string, string?>? settings = null, SimulatorOptions? simulatorOptions = null,
        string? dataDirectory = null)
    {
        var time = simulatorOptions?.TimeProvider as FakeTimeProvider ?? new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = simulatorOptions ?? new SimulatorOptions { TimeProvider = time };
        var simulator = await CloudSimulator.StartAsync(options, TestContext.Current.CancellationToken);
        var directory = dataDirectory ?? Directory.CreateTempSubdirectory("evgw-test-").FullName;

        var all = DemoMode.SimulatorSettings(simulator);
        all["Gateway:Demo"] = "false";
        all["Gateway:DataDirectory"] = directory;
        // Retry pauses run on the fake clock; without this a retried call would wait for a clock advance.
        all["Renault:RetryDelayMilliseconds"] = "0";
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        var log = new CapturedLog();
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in all)
            {
                web.UseSetting(key, value);
            }

            web.ConfigureServices(services =>
            {
                services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
                // Counters of this host alone: a test reads what it caused, not what other tests did.
                services.Replace(ServiceDescriptor.Singleton(new GatewayMetrics(Prometheus.Metrics.NewCustomRegistry())));
                services.AddSingleton<ILoggerProvider>(log);
            });
        });
        return new GatewayApp(simulator, time, factory, directory, log);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await factory.DisposeAsync();
        await Simulator.DisposeAsync();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a background writer; the OS cleans temp folders.
        }
    }
}
