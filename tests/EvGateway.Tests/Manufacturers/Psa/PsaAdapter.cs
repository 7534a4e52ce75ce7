using EvGateway.Manufacturers.Psa;
using EvGateway.Simulator;
using EvGateway.Simulator.Psa;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.Manufacturers.Psa;

/// <summary>The real PSA adapter composed by the rig (no other maker) on a bed of simulated clouds, with what these tests share.</summary>
internal static class PsaAdapter
{
    /// <summary>A fake clock at 09:00 UTC on 25 November 2026, and clouds whose cars keep UTC; the broker over TLS when asked.</summary>
    public static Task<TestBed> StartBedAsync(bool brokerTls = false) =>
        TestBed.StartAsync(new SimulatorOptions
        {
            TimeProvider = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero)),
            CarTimeZone = TimeZoneInfo.Utc,
            PsaMqttTls = brokerTls,
        });

    /// <summary>
    /// The gateway's services with the PSA adapter, checked as a starting host checks them; <paramref name="overrides"/>
    /// win, and a null value leaves a setting unset.
    /// </summary>
    public static GatewayServices StartGateway(this TestBed bed, IDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            // The bare account id: the adapter must add the brand's prefix itself.
            ["Psa:CustomerId"] = PsaCloud.DemoAccountId,
            ["Psa:CommandTimeoutSeconds"] = "2",
        }.With(overrides);
        var gateway = GatewayServices.Compose(bed, Makers.Psa, settings);
        try
        {
            gateway.Validate();
            return gateway;
        }
        catch
        {
            gateway.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    public static Task<string> CurrentAccessTokenAsync(this GatewayServices gateway, CancellationToken cancellationToken) =>
        gateway.Get<PsaTokenProvider>().GetAccessTokenAsync(cancellationToken);

    public static Task<string> RenewAccessTokenAsync(this GatewayServices gateway, string rejected, CancellationToken cancellationToken) =>
        gateway.Get<PsaTokenProvider>().RenewAsync(rejected, cancellationToken);
}
