using EvGateway.Manufacturers.Psa.Pairing;
using EvGateway.Simulator.Psa;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvGateway.Tests.Manufacturers.Psa.Pairing;

public sealed class InWeboPairingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pairing_then_an_otp_then_the_password_grant_gives_a_remote_token_pair()
    {
        await using var rig = await PsaPairingRig.StartAsync();

        var code = await rig.SmsCodeAsync();
        var state = await rig.Client.ActivateAsync(code, PsaPairing.DemoPin, Ct);
        var otp = await rig.Client.GetOtpAsync(Ct);
        var (status, tokens) = await rig.PasswordGrantAsync(otp);
        var (replayStatus, replay) = await rig.PasswordGrantAsync(otp);
        var (refreshStatus, refreshed) = await rig.RefreshGrantAsync(tokens["refresh_token"]!.GetValue<string>());

        Assert.True(rig.Psa.Pairing.IsPaired);
        Assert.Equal(1, rig.Psa.Pairing.Activations);
        Assert.Equal(1, rig.Psa.Pairing.OtpsIssued);
        Assert.Matches("^[a-z0-9]{1,8}$", otp);
        Assert.Equal(200, status);
        Assert.NotEmpty(tokens["access_token"]!.GetValue<string>());
        Assert.Equal(899, tokens["expires_in"]!.GetValue<int>());
        Assert.Equal(400, replayStatus);
        Assert.Equal("invalid_grant", replay["error"]!.GetValue<string>());
        Assert.Equal(200, refreshStatus);
        Assert.NotEqual(tokens["refresh_token"]!.GetValue<string>(), refreshed["refresh_token"]!.GetValue<string>());
        // The first OTP after activation is asked for twice (J): 3 activation requests and 4 OTP requests.
        Assert.Equal(7, rig.Psa.Pairing.InWeboRequests);
        Assert.NotEqual(state.K1, (await new OtpStateStore(rig.StatePath, TimeProvider.System, NullLogger<OtpStateStore>.Instance).LoadAsync(Ct))!.K1);
        Assert.DoesNotContain(rig.Gateway.Log.Lines, l => l.Contains(code, StringComparison.Ordinal)
                                                           || l.Contains(PsaPairing.DemoPin, StringComparison.Ordinal)
                                                           || l.Contains(otp, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_sms_code_is_refused_in_words_and_nothing_is_stored()
    {
        await using var rig = await PsaPairingRig.StartAsync();
        var code = await rig.SmsCodeAsync();
        var wrong = code == "12345678" ? "87654321" : "12345678";

        var refused = await Assert.ThrowsAsync<PsaPairingException>(() => rig.Client.ActivateAsync(wrong, PsaPairing.DemoPin, Ct));

        Assert.Equal(PsaPairingFailure.SmsCodeRejected, refused.Failure);
        Assert.Equal(PsaPairingException.PairingRejectedCode, refused.Code);
        Assert.Equal(400, refused.StatusCode);
        Assert.Equal("The SMS code was not accepted. Type the code from the latest text message exactly as received, "
                     + "or ask for a new one. (NOK:SN)", refused.Message);
        Assert.False(File.Exists(rig.StatePath));
        Assert.False(rig.Psa.Pairing.IsPaired);
    }

    [Fact]
    public async Task A_wrong_pin_is_refused_as_a_pin_problem_and_the_right_one_then_pairs_with_the_same_code()
    {
        await using var rig = await PsaPairingRig.StartAsync();
        var code = await rig.SmsCodeAsync();

        var refused = await Assert.ThrowsAsync<PsaPairingException>(() => rig.Client.ActivateAsync(code, "0000", Ct));
        await rig.Client.ActivateAsync(code, PsaPairing.DemoPin, Ct);

        Assert.Equal(PsaPairingFailure.PinRejected, refused.Failure);
        Assert.Equal("NOK:ACCESS", refused.ServerError);
        Assert.StartsWith("The PIN was not accepted.", refused.Message, StringComparison.Ordinal);
        Assert.True(rig.Psa.Pairing.IsPaired);
    }

    [Fact]
    public async Task A_used_sms_code_cannot_pair_a_second_time()
    {
        await using var rig = await PsaPairingRig.StartAsync();
        var code = await rig.SmsCodeAsync();
        await rig.Client.ActivateAsync(code, PsaPairing.DemoPin, Ct);

        var refused = await Assert.ThrowsAsync<PsaPairingException>(() => rig.Client.ActivateAsync(code, PsaPairing.DemoPin, Ct));

        Assert.Equal(PsaPairingFailure.SmsCodeRejected, refused.Failure);
        Assert.Equal(1, rig.Psa.Pairing.Activations);
    }

    [Fact]
    public async Task After_twenty_activations_the_account_is_locked_and_the_owner_is_told_what_to_do()
    {
        await using var rig = await PsaPairingRig.StartAsync();
        for (var i = 0; i < PsaPairing.ActivationLimit; i++)
        {
            await rig.PairAsync();
        }

        var refused = await Assert.ThrowsAsync<PsaPairingException>(rig.PairAsync);

        Assert.Equal(PsaPairing.ActivationLimit, rig.Psa.Pairing.Activations);
        Assert.Equal(PsaPairingFailure.AccountLocked, refused.Failure);
        Assert.Equal("NOK:MAXNBTOOLS", refused.ServerError);
        Assert.Contains("Reinstall the brand's app", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_seventh_otp_of_a_day_is_refused_before_any_call_and_allowed_again_24_hours_after_the_first()
    {
        await using var rig = await PsaPairingRig.StartAsync();
        await rig.PairAsync();
        var otps = new List<string>();
        for (var i = 0; i < OtpState.DailyOtpLimit; i++)
        {
            otps.Add(await rig.Client.GetOtpAsync(Ct));
            rig.Bed.Time.Advance(TimeSpan.FromMinutes(30));
        }

        var requests = rig.Psa.Pairing.InWeboRequests;
        var refused = await Assert.ThrowsAsync<PsaPairingException>(() => rig.Client.GetOtpAsync(Ct));

        Assert.Equal(requests, rig.Psa.Pairing.InWeboRequests);
        Assert.Equal(PsaPairingFailure.DailyOtpLimit, refused.Failure);
        Assert.Equal(TimeSpan.FromHours(21), refused.RetryAfter);
        Assert.StartsWith("6 one-time passwords were already taken in the last 24 hours", refused.Message, StringComparison.Ordinal);
        Assert.Equal(OtpState.DailyOtpLimit, otps.Distinct().Count());

        rig.Bed.Time.Advance(TimeSpan.FromHours(21));
        var (status, _) = await rig.PasswordGrantAsync(await rig.Client.GetOtpAsync(Ct));
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task The_server_refuses_a_seventh_otp_itself_when_a_client_lost_its_count()
    {
        await using var rig = await PsaPairingRig.StartAsync();
        await rig.PairAsync();
        var store = new OtpStateStore(rig.StatePath, TimeProvider.System, NullLogger<OtpStateStore>.Instance);
        for (var i = 0; i < OtpState.DailyOtpLimit; i++)
        {
            await rig.Client.GetOtpAsync(Ct);
        }

        await store.SaveAsync((await store.LoadAsync(Ct))! with { OtpTimes = [] }, Ct);
        var refused = await Assert.ThrowsAsync<PsaPairingException>(() => rig.Client.GetOtpAsync(Ct));

        Assert.Equal(PsaPairingFailure.Refused, refused.Failure);
        Assert.Equal(PsaPairing.OtpLimitError, refused.ServerError);
        Assert.Equal(OtpState.DailyOtpLimit, rig.Psa.Pairing.OtpsIssued);
    }

    [Fact]
    public async Task A_pairing_revoked_by_the_brand_app_asks_the_owner_to_pair_again()
    {
        await using var rig = await PsaPairingRig.StartAsync();
        await rig.PairAsync();
        rig.Psa.Pairing.RevokePairings();

        var refused = await Assert.ThrowsAsync<PsaPairingException>(() => rig.Client.GetOtpAsync(Ct));

        Assert.Equal(PsaPairingFailure.PairingRevoked, refused.Failure);
        Assert.Equal(PsaPairingException.PairingRequiredCode, refused.Code);
        Assert.StartsWith("PSA no longer accepts this pairing", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_soft_token_survives_a_restart_from_its_0600_file_and_keeps_making_otps()
    {
        await using var rig = await PsaPairingRig.StartAsync();
        await rig.PairAsync();
        await rig.Client.GetOtpAsync(Ct);

        var restarted = rig.NewClient();
        var otp = await restarted.GetOtpAsync(Ct);
        var (status, _) = await rig.PasswordGrantAsync(otp);

        Assert.Equal(200, status);
        Assert.Equal(2, (await new OtpStateStore(rig.StatePath, TimeProvider.System, NullLogger<OtpStateStore>.Instance).LoadAsync(Ct))!.OtpTimes.Count);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(rig.StatePath));
        }
    }

    [Fact]
    public async Task Pairing_again_keeps_the_device_id_and_the_old_soft_token_stops_working()
    {
        await using var rig = await PsaPairingRig.StartAsync();
        var first = await rig.PairAsync();
        var oldCopy = Path.Combine(rig.Bed.DataDirectory, "old-otp.json");
        File.Copy(rig.StatePath, oldCopy);

        var second = await rig.PairAsync();
        using var http = new HttpClient();
        var refused = await Assert.ThrowsAsync<PsaPairingException>(() =>
            new InWeboClient(http, rig.Psa.Pairing.OtpUrl, new OtpStateStore(oldCopy, TimeProvider.System, NullLogger<OtpStateStore>.Instance), rig.Bed.Time,
                NullLogger<InWeboClient>.Instance).GetOtpAsync(Ct));

        Assert.Equal(first.DeviceId, second.DeviceId);
        Assert.NotEqual(first.Alea, second.Alea);
        Assert.Equal(PsaPairingFailure.PairingRevoked, refused.Failure);
        Assert.NotEmpty(await rig.Client.GetOtpAsync(Ct));
    }

    [Fact]
    public async Task An_otp_not_traded_within_its_lifetime_is_refused()
    {
        await using var rig = await PsaPairingRig.StartAsync();
        await rig.PairAsync();
        var otp = await rig.Client.GetOtpAsync(Ct);

        rig.Bed.Time.Advance(PsaPairing.OtpLifetime);
        var (status, body) = await rig.PasswordGrantAsync(otp);

        Assert.Equal(400, status);
        Assert.Equal("invalid_grant", body["error"]!.GetValue<string>());
    }
}
