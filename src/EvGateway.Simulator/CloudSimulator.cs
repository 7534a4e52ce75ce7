using System.Net;
using System.Net.Sockets;
using EvGateway.Simulator.Psa;
using EvGateway.Simulator.Renault;
using EvGateway.Simulator.Abrp;
using EvGateway.Simulator.Tariff;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace EvGateway.Simulator;

/// <summary>
/// The makers' clouds on loopback: one Kestrel app serves Gigya under /gigya, Kamereon under /kamereon and the
/// PSA clouds under /psa, with a control API under /_control for tests and demos. Start it, point the gateway's
/// base URLs at the addresses it reports, dispose it when done.
/// </summary>
public sealed class CloudSimulator : IAsyncDisposable
{
    private readonly WebApplication app;

    private CloudSimulator(WebApplication app, Uri baseAddress, RenaultCloud renault, PsaCloud psa, TariffFeed tariff, AbrpTelemetryApi abrp)
    {
        this.app = app;
        BaseAddress = baseAddress;
        Renault = renault;
        Psa = psa;
        Tariff = tariff;
        Abrp = abrp;
    }

    /// <summary>The root of the HTTP listener, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    public RenaultCloud Renault { get; }

    public PsaCloud Psa { get; }

    /// <summary>Day-ahead half-hourly prices in the Octopus Agile shape, for smart charging.</summary>
    public TariffFeed Tariff { get; }

    /// <summary>A Better Route Planner's live-telemetry endpoint.</summary>
    public AbrpTelemetryApi Abrp { get; }

    public Uri AbrpUrl => AbrpTelemetryApi.UrlFor(BaseAddress);

    public Uri TariffUrl => TariffFeed.UrlFor(BaseAddress);

    public static Task<CloudSimulator> StartAsync(SimulatorOptions options, CancellationToken cancellationToken = default)
    {
        // The simulator's web host is built off the caller's execution context. An observer of host building that is
        // tied to that context would take it for the caller's own application: WebApplicationFactory's does so for every
        // host built on the flow of the Program it hosts (demo mode's simulator included) until it stops listening,
        // and moves it onto an in-memory test server: the simulator would have no socket and refuse every connection.
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(() => StartWithRetriesAsync(options, cancellationToken), cancellationToken);
        }
    }

    private static async Task<CloudSimulator> StartWithRetriesAsync(SimulatorOptions options, CancellationToken cancellationToken)
    {
        // A free port is found by asking the OS, then bound a moment later; a parallel test may take it in between.
        // With automatic ports that race is retried with new ones.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(options, cancellationToken);
            }
            catch (Exception e) when (IsAddressInUse(e) && options.HttpPort == 0 && options.MqttPort == 0 && attempt < 5)
            {
            }
        }
    }

    private static async Task<CloudSimulator> StartOnceAsync(SimulatorOptions options, CancellationToken cancellationToken)
    {
        var port = options.HttpPort == 0 ? FreeTcpPort() : options.HttpPort;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.UseLengthRequired();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");

        var renault = new RenaultCloud(options, baseAddress);
        renault.MapEndpoints(app);

        var psa = new PsaCloud(options, baseAddress, options.MqttPort == 0 ? FreeTcpPort() : options.MqttPort);
        psa.MapEndpoints(app);

        var tariff = new TariffFeed(options.TimeProvider);
        app.MapTariff(tariff);

        var abrp = new AbrpTelemetryApi();
        abrp.Map(app);

        try
        {
            await psa.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await psa.StopAsync();
            await app.DisposeAsync();
            throw;
        }

        return new CloudSimulator(app, baseAddress, renault, psa, tariff, abrp);
    }

    private static bool IsAddressInUse(Exception e) => e switch
    {
        SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } => true,
        { InnerException: { } inner } => IsAddressInUse(inner),
        _ => false,
    };

    public async ValueTask DisposeAsync()
    {
        await Psa.StopAsync();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    internal static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
