using EvGateway.Manufacturers.Psa;
using EvGateway.Simulator.Psa;
using EvGateway.Vehicles;

namespace EvGateway.Tests.Manufacturers.Psa;

public sealed class PsaTokenTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_refresh_rotates_the_refresh_token_and_a_restarted_gateway_goes_on_with_the_persisted_one()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        var storePath = Path.Combine(bed.DataDirectory, PsaTokenStore.FileName);
        await using (var first = bed.StartGateway())
        {
            await first.Provider.GetVehiclesAsync(Ct);

            Assert.Equal(1, bed.Psa.RefreshCount);
            Assert.NotEqual(PsaCloud.DemoRefreshToken, bed.Psa.CurrentRefreshToken);
            var stored = await File.ReadAllTextAsync(storePath, Ct);
            Assert.Contains(bed.Psa.CurrentRefreshToken, stored, StringComparison.Ordinal);
            Assert.DoesNotContain(PsaCloud.DemoRefreshToken, stored, StringComparison.Ordinal);
            await PsaProviderTests.AssertNoSecretsAsync(bed, first);
        }

        // The configured seed is dead now: only the persisted token can log the restarted gateway in.
        await using var restarted = bed.StartGateway();
        var vehicle = await restarted.VehicleAsync(PsaCloud.DemoE208Vin);
        var status = await restarted.Provider.GetStatusAsync(vehicle, Ct);

        Assert.Equal(PsaCloud.DemoE208Vin, status.Vin);
        Assert.Equal(2, bed.Psa.RefreshCount);
        Assert.Equal(ProviderHealthState.LoggedIn, restarted.Provider.Health.State);
    }

    [Fact]
    public async Task The_access_token_is_reused_until_shortly_before_it_expires()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway();
        var vehicle = await gateway.VehicleAsync(PsaCloud.DemoE208Vin);

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => gateway.Provider.GetStatusAsync(vehicle, Ct)));
        bed.Time.Advance(TimeSpan.FromMinutes(50));
        await gateway.Provider.GetStatusAsync(vehicle, Ct);
        Assert.Equal(1, bed.Psa.RefreshCount);

        bed.Time.Advance(TimeSpan.FromMinutes(9.5));
        await gateway.Provider.GetStatusAsync(vehicle, Ct);
        Assert.Equal(2, bed.Psa.RefreshCount);
    }

    [Fact]
    public async Task Concurrent_first_calls_share_one_refresh()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway();
        var vehicle = await gateway.VehicleAsync(PsaCloud.DemoE208Vin);
        bed.Time.Advance(TimeSpan.FromHours(2));

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => gateway.Provider.GetStatusAsync(vehicle, Ct)));

        Assert.Equal(2, bed.Psa.RefreshCount);
    }

    [Fact]
    public async Task A_refused_refresh_token_is_invalid_credentials_and_is_never_tried_again_until_the_setting_changes()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        var wrongSeed = new Dictionary<string, string?> { ["Psa:RefreshToken"] = "0d4c0ffe-dead-4bad-8bad-000000000000" };
        await using (var gateway = bed.StartGateway(wrongSeed))
        {
            for (var attempt = 0; attempt < 5; attempt++)
            {
                var failure = await Assert.ThrowsAsync<GatewayException>(() => gateway.Provider.GetVehiclesAsync(Ct));
                Assert.Equal(ErrorCodes.InvalidCredentials, failure.Code);
                Assert.Contains("Psa:RefreshToken", failure.Message, StringComparison.Ordinal);
                Assert.DoesNotContain("0d4c0ffe", failure.Message, StringComparison.Ordinal);
            }

            Assert.Equal(1, bed.Psa.RefreshCount);
            Assert.Equal(ProviderHealthState.Failing, gateway.Provider.Health.State);
            Assert.DoesNotContain(gateway.Log.Lines, line => line.Contains("0d4c0ffe", StringComparison.Ordinal));
            await PsaProviderTests.AssertNoSecretsAsync(bed, gateway);
        }

        await using (var restartedWithSameSetting = bed.StartGateway(wrongSeed))
        {
            await Assert.ThrowsAsync<GatewayException>(() => restartedWithSameSetting.Provider.GetVehiclesAsync(Ct));
            Assert.Equal(1, bed.Psa.RefreshCount);
        }

        await using var relogged = bed.StartGateway();
        Assert.Equal(2, (await relogged.Provider.GetVehiclesAsync(Ct)).Count);
        Assert.Equal(2, bed.Psa.RefreshCount);
    }

    [Fact]
    public async Task A_new_refresh_token_set_while_the_gateway_runs_lifts_the_refused_login()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway(new Dictionary<string, string?> { ["Psa:RefreshToken"] = "0d4c0ffe-dead-4bad-8bad-000000000000" });
        await Assert.ThrowsAsync<GatewayException>(() => gateway.Provider.GetVehiclesAsync(Ct));
        await Assert.ThrowsAsync<GatewayException>(() => gateway.Provider.GetVehiclesAsync(Ct));
        Assert.Equal(1, bed.Psa.RefreshCount);

        gateway.Configuration["Psa:RefreshToken"] = PsaCloud.DemoRefreshToken;
        gateway.Configuration.Reload();

        Assert.Equal(2, (await gateway.Provider.GetVehiclesAsync(Ct)).Count);
        Assert.Equal(2, bed.Psa.RefreshCount);
        Assert.Equal(ProviderHealthState.LoggedIn, gateway.Provider.Health.State);
    }

    [Fact]
    public async Task Refreshes_beyond_five_in_thirty_minutes_are_refused_without_calling_the_cloud()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway(new Dictionary<string, string?> { ["Psa:RemoteRefreshToken"] = "" });
        var vehicle = await gateway.VehicleAsync(PsaCloud.DemoE208Vin);
        var tokens = new List<string> { await gateway.CurrentAccessTokenAsync(Ct) };
        for (var i = 0; i < 4; i++)
        {
            bed.Time.Advance(TimeSpan.FromMinutes(1));
            tokens.Add(await gateway.RenewAccessTokenAsync(tokens[^1], Ct));
        }

        var refused = await Assert.ThrowsAsync<GatewayException>(() => gateway.RenewAccessTokenAsync(tokens[^1], Ct));

        Assert.Equal(ErrorCodes.UpstreamRateLimited, refused.Code);
        Assert.Equal(TimeSpan.FromMinutes(26), refused.RetryAfter);
        Assert.Equal(5, bed.Psa.RefreshCount);
        Assert.Equal(vehicle.Vin, (await gateway.Provider.GetStatusAsync(vehicle, Ct)).Vin);
    }
}
