using EvGateway.Manufacturers.Psa.Mqtt;
using EvGateway.Simulator.Psa;
using EvGateway.Vehicles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EvGateway.Tests.Manufacturers.Psa.Mqtt;

public sealed class PsaRemoteKeepAliveTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_any_command_the_remote_refresh_token_is_used_twice_a_day_so_it_never_lapses_even_after_a_failed_round()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway();
        // The keep-alive alone: no broker session, no command would use the remote refresh token meanwhile.
        var keepAlive = gateway.Services.GetServices<IHostedService>().OfType<PsaRemoteKeepAlive>().Single();
        await keepAlive.StartAsync(Ct);
        try
        {
            // A remote refresh token from the settings has never been used here: it is used at once.
            await RoundAsync(gateway, "used so that it does not lapse", 1);
            bed.Psa.FailNext(1, PsaFault.ServerError);
            bed.Time.Advance(PsaRemoteKeepAlive.KeepAliveAge);
            await RoundAsync(gateway, "alive failed (upstream_unavailable)", 1);
            bed.Time.Advance(PsaRemoteKeepAlive.CheckInterval);
            await RoundAsync(gateway, "used so that it does not lapse", 2);
            // Three and a half days more: an unused remote refresh token lives three.
            for (var round = 3; round <= 9; round++)
            {
                bed.Time.Advance(PsaRemoteKeepAlive.KeepAliveAge);
                await RoundAsync(gateway, "used so that it does not lapse", round);
            }
        }
        finally
        {
            await keepAlive.StopAsync(Ct);
        }

        Assert.Equal(9, bed.Psa.RemoteTokenRefreshCount);
        var vehicle = await gateway.VehicleAsync(PsaCloud.DemoE208Vin);
        var horn = await gateway.Provider.SendCommandAsync(vehicle, new VehicleCommand(VehicleCommandKind.Horn), Ct);
        Assert.True(horn.Accepted);
        await PsaProviderTests.AssertNoSecretsAsync(bed, gateway);
    }

    /// <summary>
    /// Waits until the keep-alive logged its <paramref name="count"/>th line saying <paramref name="says"/>, then a moment
    /// more, so that it waits on the clock again before the test moves the clock on.
    /// </summary>
    private static async Task RoundAsync(GatewayServices gateway, string says, int count)
    {
        await FakeClock.EventuallyAsync(() => gateway.Log.Lines.Count(l => l.Contains(says, StringComparison.Ordinal)) >= count, Ct);
        await Task.Delay(100, Ct);
    }
}
