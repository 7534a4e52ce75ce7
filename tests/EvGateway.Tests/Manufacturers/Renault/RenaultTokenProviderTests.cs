using EvGateway.Manufacturers.Renault;
using EvGateway.Simulator.Renault;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Accounts;
using static EvGateway.Tests.Manufacturers.Renault.RenaultAdapter;

namespace EvGateway.Tests.Manufacturers.Renault;

public class RenaultTokenProviderTests
{
    private static readonly TimeSpan PastJwtExpiry = TimeSpan.FromMinutes(16);

    [Fact]
    public async Task Health_is_starting_until_the_first_login_and_logged_in_after_it()
    {
        await using var rig = await StartAsync();
        Assert.Equal(ProviderHealthState.Starting, rig.Provider.Health.State);

        await rig.Provider.GetVehiclesAsync(Ct);

        Assert.Equal(ProviderHealthState.LoggedIn, rig.Provider.Health.State);
        Assert.Equal(1, rig.Cloud.CallCount("accounts.login"));
    }

    [Fact]
    public async Task A_hundred_concurrent_status_reads_with_an_expired_jwt_cause_exactly_one_getJWT()
    {
        await using var rig = await StartAsync();
        var zoe = await rig.VehicleAsync(RenaultCloud.DemoZoePhase2Vin);
        rig.Time.Advance(PastJwtExpiry);
        var jwtCalls = rig.Cloud.CallCount("accounts.getJWT");

        var statuses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => rig.Provider.GetStatusAsync(zoe, Ct), Ct)));

        Assert.All(statuses, s => Assert.NotNull(s.BatteryLevel));
        Assert.Equal(jwtCalls + 1, rig.Cloud.CallCount("accounts.getJWT"));
        Assert.Equal(1, rig.Cloud.CallCount("accounts.login"));
    }

    [Fact]
    public async Task A_hundred_concurrent_token_requests_with_an_expired_jwt_share_one_getJWT()
    {
        await using var rig = await StartAsync();
        var first = await rig.Tokens.GetJwtAsync(Ct);
        rig.Time.Advance(PastJwtExpiry);

        var tokens = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => rig.Tokens.GetJwtAsync(Ct), Ct)));

        Assert.Single(tokens.Distinct());
        Assert.NotEqual(first, tokens[0]);
        Assert.Equal(2, rig.Cloud.CallCount("accounts.getJWT"));
    }

    [Fact]
    public async Task A_jwt_still_valid_is_reused_without_calling_gigya()
    {
        await using var rig = await StartAsync();
        var zoe = await rig.VehicleAsync(RenaultCloud.DemoZoePhase2Vin);
        rig.Time.Advance(TimeSpan.FromMinutes(5));

        await rig.Provider.GetStatusAsync(zoe, Ct);

        Assert.Equal(1, rig.Cloud.CallCount("accounts.getJWT"));
    }

    [Fact]
    public async Task After_the_jwt_expires_the_next_read_succeeds_after_exactly_one_getJWT_and_no_login()
    {
        await using var rig = await StartAsync();
        var zoe = await rig.VehicleAsync(RenaultCloud.DemoZoePhase2Vin);
        rig.Time.Advance(PastJwtExpiry);

        var status = await rig.Provider.GetStatusAsync(zoe, Ct);

        Assert.NotNull(status.BatteryLevel);
        Assert.Equal(2, rig.Cloud.CallCount("accounts.getJWT"));
        Assert.Equal(1, rig.Cloud.CallCount("accounts.login"));
    }

    [Fact]
    public async Task A_revoked_login_token_causes_one_fresh_login_and_then_success()
    {
        await using var rig = await StartAsync();
        var zoe = await rig.VehicleAsync(RenaultCloud.DemoZoePhase2Vin);
        rig.Cloud.RevokeLoginTokens();
        rig.Time.Advance(PastJwtExpiry);

        var status = await rig.Provider.GetStatusAsync(zoe, Ct);

        Assert.NotNull(status.BatteryLevel);
        Assert.Equal(2, rig.Cloud.CallCount("accounts.login"));
        Assert.Equal(ProviderHealthState.LoggedIn, rig.Provider.Health.State);
    }

    [Fact]
    public async Task A_wrong_password_is_invalid_credentials_and_ten_more_calls_cause_no_further_login()
    {
        await using var rig = await StartAsync(password: "wrong-password");

        var error = await Assert.ThrowsAsync<GatewayException>(() => rig.Provider.GetVehiclesAsync(Ct));
        Assert.Equal(ErrorCodes.InvalidCredentials, error.Code);
        Assert.DoesNotContain("wrong-password", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, rig.Cloud.CallCount("accounts.login"));

        for (var i = 0; i < 10; i++)
        {
            var again = await Assert.ThrowsAsync<GatewayException>(() => rig.Provider.GetVehiclesAsync(Ct));
            Assert.Equal(ErrorCodes.InvalidCredentials, again.Code);
        }

        Assert.Equal(1, rig.Cloud.CallCount("accounts.login"));
        Assert.Equal(ProviderHealthState.Failing, rig.Provider.Health.State);
        Assert.DoesNotContain("wrong-password", rig.Provider.Health.Detail ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrected_password_in_the_configuration_lifts_the_login_latch()
    {
        await using var rig = await StartAsync(password: "wrong-password");
        await Assert.ThrowsAsync<GatewayException>(() => rig.Provider.GetVehiclesAsync(Ct));

        rig.Reconfigure("Renault:Password", RenaultCloud.DemoPassword);
        var vehicles = await rig.Provider.GetVehiclesAsync(Ct);

        Assert.Equal(5, vehicles.Count);
        Assert.Equal(2, rig.Cloud.CallCount("accounts.login"));
        Assert.Equal(ProviderHealthState.LoggedIn, rig.Provider.Health.State);
    }

    [Fact]
    public async Task An_account_that_starts_asking_for_a_code_logs_in_once_then_waits_for_the_owner_without_sending_one()
    {
        await using var rig = await StartAsync();
        var zoe = await rig.VehicleAsync(RenaultCloud.DemoZoePhase2Vin);
        rig.Cloud.SetTwoFactorRequired(true);
        rig.Time.Advance(PastJwtExpiry);

        var error = await Assert.ThrowsAsync<GatewayException>(() => rig.Provider.GetStatusAsync(zoe, Ct));
        for (var i = 0; i < 10; i++)
        {
            await Assert.ThrowsAsync<GatewayException>(() => rig.Provider.GetVehiclesAsync(Ct));
        }

        Assert.Equal(ErrorCodes.InvalidCredentials, error.Code);
        Assert.Contains("asks for the code it e-mails", error.Message, StringComparison.Ordinal);
        Assert.Equal(AccountState.CodeRequired, rig.Login.State.State);
        Assert.Equal(ProviderHealthState.Failing, rig.Provider.Health.State);
        Assert.Equal(2, rig.Cloud.CallCount("accounts.login"));
        Assert.Equal(0, rig.Cloud.CallCount("accounts.tfa.initTFA"));
        Assert.Empty(rig.Cloud.SentEmails());
    }

    [Fact]
    public async Task A_rotated_gigya_api_key_is_reported_as_a_rejected_key()
    {
        await using var rig = await StartAsync();
        rig.Cloud.GigyaApiKey = "rotated-key";

        var error = await Assert.ThrowsAsync<GatewayException>(() => rig.Provider.GetVehiclesAsync(Ct));

        Assert.Equal(ErrorCodes.UpstreamUnavailable, error.Code);
        Assert.Contains("Gigya API key rejected", error.Message, StringComparison.Ordinal);
    }
}
