using EvGateway.Hosting;
using EvGateway.Simulator;
using EvGateway.Vehicles;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.TestSupport;

/// <summary>
/// The real gateway in-process (WebApplicationFactory) wired to a simulator of its own on loopback sockets, both on
/// one FakeTimeProvider so tests can expire tokens and end quotas without waiting.
/// </summary>
public sealed class GatewayApp : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> factory;
    private readonly string dataDirectory;
    private readonly bool ownsDataDirectory;
    private readonly bool ownsSimulator;

    private GatewayApp(CloudSimulator simulator, FakeTimeProvider time, WebApplicationFactory<Program> factory, string dataDirectory, CapturedLog log,
        bool ownsDataDirectory, bool ownsSimulator)
    {
        this.ownsDataDirectory = ownsDataDirectory;
        this.ownsSimulator = ownsSimulator;
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

    /// <summary>Where the gateway answers (a loopback port when started over sockets).</summary>
    public Uri BaseAddress => Client.BaseAddress!;
    public IServiceProvider Services => factory.Services;

    /// <summary>Everything the gateway logged.</summary>
    public CapturedLog Log { get; }

    /// <summary>
    /// Starts a gateway. With <paramref name="dataDirectory"/> and <paramref name="simulator"/> given, they are the
    /// caller's and outlive this gateway (a restart test starts a second gateway over both); pass the simulator's
    /// <paramref name="simulatorOptions"/> with it, so both share one clock. <paramref name="overSockets"/> serves it on
    /// a loopback port (for a browser) instead of in memory.
    /// </summary>
    public static async Task<GatewayApp> StartAsync(Dictionary<string, string?>? settings = null, SimulatorOptions? simulatorOptions = null,
        string? dataDirectory = null, CloudSimulator? simulator = null, bool overSockets = false)
    {
        var time = simulatorOptions?.TimeProvider as FakeTimeProvider ?? new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = simulatorOptions ?? new SimulatorOptions { TimeProvider = time };
        var ownsSimulator = simulator is null;
        simulator ??= await CloudSimulator.StartAsync(options, TestContext.Current.CancellationToken);
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

        if (overSockets)
        {
            all["Gateway:Urls"] = "http://127.0.0.1:0";
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
        if (overSockets)
        {
            // A real Kestrel on a loopback port, for a browser to talk to.
            factory.UseKestrel();
            factory.StartServer();
        }

        return new GatewayApp(simulator, time, factory, directory, log, dataDirectory is null, ownsSimulator);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await factory.DisposeAsync();
        if (ownsSimulator)
        {
            await Simulator.DisposeAsync();
        }

        if (!ownsDataDirectory)
        {
            return;
        }

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
