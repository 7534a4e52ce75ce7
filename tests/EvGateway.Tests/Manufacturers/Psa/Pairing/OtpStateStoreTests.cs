using EvGateway.Manufacturers.Psa.Pairing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvGateway.Tests.Manufacturers.Psa.Pairing;

public sealed class OtpStateStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_saved_soft_token_reloads_equal_from_a_file_only_its_owner_can_read()
    {
        using var directory = new TemporaryDirectory();
        var store = new OtpStateStore(directory.File(OtpStateStore.FileName), TimeProvider.System, NullLogger<OtpStateStore>.Instance);
        var state = PsaccOtpImport.Import(InWeboVectors.Bytes("otp.bin")) with
        {
            OtpTimes = [InWeboClientRig.VectorTime, InWeboClientRig.VectorTime.AddHours(1)],
        };

        await store.SaveAsync(state, Ct);
        await store.SaveAsync(state with { K1 = "00112233445566778899aabbccddeeff" }, Ct);
        var reloaded = await new OtpStateStore(store.Path, TimeProvider.System, NullLogger<OtpStateStore>.Instance).LoadAsync(Ct);

        Assert.Equal(state with { K1 = "00112233445566778899aabbccddeeff" }, reloaded! with { OtpTimes = state.OtpTimes });
        Assert.Equal(state.OtpTimes, reloaded.OtpTimes);
        Assert.Equal([OtpStateStore.FileName], Directory.GetFiles(directory.Path).Select(Path.GetFileName));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.Path));
        }
    }

    [Fact]
    public async Task No_file_means_not_paired_and_a_damaged_one_is_set_aside_and_reads_as_not_paired()
    {
        using var directory = new TemporaryDirectory();
        var store = new OtpStateStore(directory.File(OtpStateStore.FileName), TimeProvider.System, NullLogger<OtpStateStore>.Instance);
        Assert.Null(await store.LoadAsync(Ct));

        await File.WriteAllTextAsync(store.Path, "{\"deviceId\":\"1c92f80886c62b32\"", Ct);

        Assert.Null(await store.LoadAsync(Ct));
        Assert.False(store.Exists);
        Assert.Single(Directory.GetFiles(directory.Path, $"{OtpStateStore.FileName}.corrupt-*"));
    }

    [Fact]
    public void The_state_never_shows_its_secrets_when_printed()
    {
        var state = PsaccOtpImport.Import(InWeboVectors.Bytes("otp.bin"));

        var printed = state.ToString();

        Assert.DoesNotContain(state.Pin, printed, StringComparison.Ordinal);
        Assert.DoesNotContain(state.K1, printed, StringComparison.Ordinal);
        Assert.DoesNotContain(state.SecretValue, printed, StringComparison.Ordinal);
    }
}
