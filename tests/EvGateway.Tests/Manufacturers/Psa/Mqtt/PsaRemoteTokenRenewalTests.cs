using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.Manufacturers.Psa.Pairing;
using EvGateway.Simulator.Psa;
using EvGateway.Tests.Manufacturers.Psa.Accounts;

namespace EvGateway.Tests.Manufacturers.Psa.Mqtt;

/// <summary>
/// Remote commands after PSA refused the remote refresh token (psa-remote-pairing.md §9): a one-time password of the
/// paired soft token gets a new token pair; only when that fails must the owner pair again; six a day at most.
/// </summary>
public sealed class PsaRemoteTokenRenewalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_the_remote_refresh_token_refused_the_next_command_still_works_through_a_new_one_time_password()
    {
        await using var rig = await PairedAsync();
        await RefuseRemoteTokensAsync(rig);

        using var horn = await rig.CommandAsync(PsaCloud.DemoE208Vin, "horn");

        Assert.Equal(HttpStatusCode.Accepted, horn.StatusCode);
        Assert.Equal(2, rig.Psa.Pairing.OtpsIssued);
        Assert.Equal(1, rig.Psa.Pairing.SmsCodesSent);
        Assert.Equal(1, rig.Psa.Pairing.Activations);
        var account = await rig.AccountAsync();
        Assert.Equal("paired", account.GetProperty("remoteCommands").GetString());
        Assert.Equal(JsonValueKind.Null, account.GetProperty("detail").ValueKind);
        Assert.Equal(2, (await rig.StoredPairingAsync())!.OtpTimes.Count);
        await PsaAccountApiTests.AssertNoSecretAsync(rig, rig.App!.Log.All);
    }

    [Fact]
    public async Task When_the_one_time_password_fails_too_the_account_asks_for_a_new_pairing_in_words_and_no_further_one_is_tried()
    {
        await using var rig = await PairedAsync();
        await RefuseRemoteTokensAsync(rig);
        rig.Psa.Pairing.RevokePairings();

        using var refused = await rig.CommandAsync(PsaCloud.DemoE208Vin, "horn");
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var requests = rig.Psa.Pairing.InWeboRequests;
        using var again = await rig.CommandAsync(PsaCloud.DemoE208Vin, "horn");
        var account = await rig.AccountAsync();

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(PsaPairingException.PairingRequiredCode, problem.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(requests, rig.Psa.Pairing.InWeboRequests);
        Assert.Equal("pairing_required", account.GetProperty("remoteCommands").GetString());
        Assert.Equal("connected", account.GetProperty("state").GetString());
        Assert.Equal("PSA no longer accepts this pairing (the brand's app was paired again or the account was reset). "
                     + "Pair again with a new SMS code and the PIN. (NOK:FORBIDDEN)", account.GetProperty("detail").GetString());

        await rig.PairAsync();
        using var afterPairing = await rig.CommandAsync(PsaCloud.DemoE208Vin, "horn");
        Assert.Equal(HttpStatusCode.Accepted, afterPairing.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await rig.AccountAsync()).GetProperty("detail").ValueKind);
    }

    [Fact]
    public async Task The_seventh_one_time_password_of_a_day_is_refused_before_any_call_and_the_account_says_so()
    {
        await using var rig = await PairedAsync();
        // The pairing took the first one-time password of the day; five renewals take the rest. The clock stands
        // still, so that no background check of the gateway renews meanwhile.
        for (var renewal = 2; renewal <= OtpState.DailyOtpLimit; renewal++)
        {
            await RefuseRemoteTokensAsync(rig);
            using var accepted = await rig.CommandAsync(PsaCloud.DemoE208Vin, "horn");
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        await RefuseRemoteTokensAsync(rig);
        var requests = rig.Psa.Pairing.InWeboRequests;
        using var refused = await rig.CommandAsync(PsaCloud.DemoE208Vin, "horn");
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var account = await rig.AccountAsync();

        Assert.Equal(OtpState.DailyOtpLimit, rig.Psa.Pairing.OtpsIssued);
        Assert.Equal(requests, rig.Psa.Pairing.InWeboRequests);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(PsaPairingException.OtpLimitCode, problem.GetProperty("code").GetString());
        // The first slot frees up 24 hours after the pairing's one-time password was taken.
        Assert.Equal(TimeSpan.FromHours(24).TotalSeconds.ToString(CultureInfo.InvariantCulture), refused.Headers.GetValues("Retry-After").Single());
        Assert.Equal("paired", account.GetProperty("remoteCommands").GetString());
        Assert.StartsWith("6 one-time passwords were already taken in the last 24 hours", account.GetProperty("detail").GetString(),
            StringComparison.Ordinal);
    }

    private static async Task<PsaAccountRig> PairedAsync()
    {
        var rig = await PsaAccountRig.StartAsync();
        await rig.StartGatewayAsync();
        await rig.LogInAsync();
        await rig.PairAsync();
        return rig;
    }

    /// <summary>
    /// PSA refuses the remote refresh token the gateway holds, and the remote tokens handed out so far: at the broker's
    /// login and in command envelopes (the session already open stays up).
    /// </summary>
    private static Task RefuseRemoteTokensAsync(PsaAccountRig rig)
    {
        rig.Psa.RevokeRemoteRefreshToken();
        rig.Psa.RevokeRemoteTokens();
        return Task.CompletedTask;
    }
}
