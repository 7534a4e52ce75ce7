using EvGateway.Simulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.TestSupport;

/// <summary>
/// A gateway under test over HTTP, in-process. Whole-gateway tests host Program itself (WebApplicationFactory)
/// against simulated clouds on loopback sockets, both on one FakeTimeProvider so tests can expire tokens and end
/// quotas without waiting. Tests of charging logic over stand-in cars host the same hosting, services and routes
/// without the makers. Either way only <see cref="GatewayRig.Override"/> differs from production.
/// </summary>
internal sealed class GatewayApp : IAsyncDisposable
{
    private readonly IAsyncDisposable host;
    private readonly TestBed? bed;
    private readonly bool ownsBed;

    private GatewayApp(IAsyncDisposable host, HttpClient client, IServiceProvider services, FakeTimeProvider time, CapturedLog log, TestBed? bed,
        bool ownsBed, OutboundCalls outbound)
    {
        Outbound = outbound;
        this.host = host;
        this.bed = bed;
        this.ownsBed = ownsBed;
        Client = client;
        Services = services;
        Time = time;
        Log = log;
    }

    public CloudSimulator Simulator => bed?.Simulator ?? throw new InvalidOperationException("This gateway serves stand-in cars, not simulated clouds.");
    public FakeTimeProvider Time { get; }
    public HttpClient Client { get; }

    /// <summary>Where the gateway answers (a loopback port when started over sockets).</summary>
    public Uri BaseAddress => Client.BaseAddress!;

    public IServiceProvider Services { get; }

    /// <summary>Everything the gateway logged.</summary>
    public CapturedLog Log { get; }

    /// <summary>The gateway's calls to the clouds in flight (none for a gateway over stand-in cars).</summary>
    public OutboundCalls Outbound { get; }

    /// <summary>
    /// Program on simulated clouds of its own, configured for <paramref name="makers"/> (the others stay inert, as
    /// for an owner without them); <paramref name="prepare"/> may change the clouds before the gateway first sees them.
    /// <paramref name="overSockets"/> serves it on a loopback port (for a browser) instead of in memory.
    /// </summary>
    public static async Task<GatewayApp> StartAsync(Dictionary<string, string?>? settings = null, SimulatorOptions? simulatorOptions = null,
        Makers makers = Makers.All, Action<CloudSimulator>? prepare = null, bool overSockets = false)
    {
        var bed = await TestBed.StartAsync(simulatorOptions ?? new SimulatorOptions { TimeProvider = new FakeTimeProvider(DateTimeOffset.UtcNow) });
        try
        {
            prepare?.Invoke(bed.Simulator);
            var app = Start(bed, settings, makers, overSockets, ownsBed: true);
            await app.Outbound.SettleAsync(TestContext.Current.CancellationToken);
            return app;
        }
        catch
        {
            await bed.DisposeAsync();
            throw;
        }
    }

    /// <summary>Program on the bed's clouds, clock and data folder, which outlive it: a restart test starts a second gateway on the same bed.</summary>
    public static GatewayApp Start(TestBed bed, Dictionary<string, string?>? settings = null, Makers makers = Makers.All, bool overSockets = false,
        Action<IServiceCollection>? services = null) =>
        Start(bed, settings, makers, overSockets, ownsBed: false, services);

    /// <summary>The gateway's hosting, services and routes over stand-in cars (and any other stand-in port) instead of the makers' adapters.</summary>
    public static async Task<GatewayApp> StartOverStandInsAsync(FakeTimeProvider time, string dataDirectory, IEnumerable<object> standIns,
        IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["Gateway:DataDirectory"] = dataDirectory }.With(settings);
        // Named after the gateway, as WebApplicationFactory names Program's host, so the pages are found the same way.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(Program).Assembly.GetName().Name,
            EnvironmentName = Environments.Development,
        });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(all);
        GatewayRig.ComposeWithoutMakers(builder);
        var log = new CapturedLog();
        GatewayRig.Override(builder.Services, time, log, standIns);
        var app = builder.Build();
        try
        {
            GatewayRig.Map(app);
            await app.StartAsync(TestContext.Current.CancellationToken);
            return new GatewayApp(app, app.GetTestClient(), app.Services, time, log, bed: null, ownsBed: false, new OutboundCalls());
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        // A resilience pipeline being disposed waits, on the gateway's clock, for the calls still in flight through it
        // (one sleeping before a retry, say) for up to 30 s. The test's clock stands still: moved on while the host
        // is slow to go, or the dispose would wait for ever.
        using var disposed = new CancellationTokenSource();
        var clock = Task.Run(() => MoveClockUntilAsync(disposed.Token), CancellationToken.None);
        try
        {
            if (host is WebApplication app)
            {
                await app.StopAsync();
            }

            await host.DisposeAsync();
        }
        finally
        {
            await disposed.CancelAsync();
            await clock;
        }

        if (ownsBed)
        {
            await bed!.DisposeAsync();
        }
    }

    private async Task MoveClockUntilAsync(CancellationToken disposed)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), disposed);
            while (true)
            {
                Time.Advance(TimeSpan.FromSeconds(1));
                await Task.Delay(TimeSpan.FromMilliseconds(20), disposed);
            }
        }
        catch (OperationCanceledException)
        {
            // The host is gone.
        }
    }

    private static GatewayApp Start(TestBed bed, Dictionary<string, string?>? settings, Makers makers, bool overSockets, bool ownsBed,
        Action<IServiceCollection>? extraServices = null)
    {
        var all = bed.Settings(makers);
        all["Gateway:Demo"] = "false";
        if (overSockets)
        {
            all["Gateway:Urls"] = "http://127.0.0.1:0";
        }

        all.With(settings);
        var log = new CapturedLog();
        var outbound = new OutboundCalls();
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in all)
            {
                web.UseSetting(key, value);
            }

            web.ConfigureServices(services =>
            {
                GatewayRig.Override(services, bed.Time, log, []);
                services.AddSingleton<IHttpMessageHandlerBuilderFilter>(outbound);
                extraServices?.Invoke(services);
            });
        });
        try
        {
            if (overSockets)
            {
                // A real Kestrel on a loopback port, for a browser to talk to.
                factory.UseKestrel();
                factory.StartServer();
            }

            return new GatewayApp(factory, factory.CreateClient(), factory.Services, bed.Time, log, bed, ownsBed, outbound);
        }
        catch
        {
            factory.Dispose();
            throw;
        }
    }
}
