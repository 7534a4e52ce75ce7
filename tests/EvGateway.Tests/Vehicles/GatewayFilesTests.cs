using EvGateway.Accounts;
using EvGateway.Charging.Control;
using EvGateway.Charging.Smart;
using EvGateway.HomeAutomation.Abrp;
using EvGateway.Manufacturers.Psa;
using EvGateway.Manufacturers.Psa.Pairing;
using EvGateway.Manufacturers.Renault;
using EvGateway.Tests.TestSupport;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Budget;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.Vehicles;

/// <summary>Every file the gateway keeps follows the one policy of <see cref="SettingsFile{T}"/> when it is corrupt.</summary>
public class GatewayFilesTests
{
    private const string Corrupt = "{ \"truncated\": [1, 2";
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 1, 2, 3, TimeSpan.Zero);

    public static TheoryData<string> Files =>
    [
        ChargeControlStore.FileName,
        SmartChargeGoals.FileName,
        RenaultSessionStore.FileName,
        OtpStateStore.FileName,
        PsaTokenStore.FileName,
        StoredAccounts.FileName,
        AbrpSettings.FileName,
        MissingEndpoints.FileName,
    ];

    [Theory]
    [MemberData(nameof(Files))]
    public async Task A_corrupt_file_is_set_aside_logged_once_and_its_owner_starts_empty(string fileName)
    {
        using var data = new TemporaryDirectory();
        using var log = new CapturedLog();
        await File.WriteAllTextAsync(data.File(fileName), Corrupt, TestContext.Current.CancellationToken);
        await using var services = Compose(data.Path, log);

        var problem = await LoadAsync(fileName, services, data.Path);

        var aside = data.File($"{fileName}.corrupt-20261130T010203Z");
        Assert.Equal(Corrupt, await File.ReadAllTextAsync(aside, TestContext.Current.CancellationToken));
        Assert.False(File.Exists(data.File(fileName)));
        Assert.Contains($"{fileName} could not be read", problem, StringComparison.Ordinal);
        Assert.Contains($"set aside as {Path.GetFileName(aside)} and ", problem, StringComparison.Ordinal);
    }

    // The error line the owner logged, or for the stored accounts (read with the configuration, before logging
    // exists) the problem the start-up report logs.
    private static async Task<string> LoadAsync(string fileName, ServiceProvider services, string dataDirectory)
    {
        var log = services.GetRequiredService<CapturedLog>();
        switch (fileName)
        {
            case ChargeControlStore.FileName:
                Assert.Empty(services.GetRequiredService<ChargeControlStore>().Active());
                break;
            case SmartChargeGoals.FileName:
                Assert.Empty(services.GetRequiredService<SmartChargeGoals>().All());
                break;
            case RenaultSessionStore.FileName:
                Assert.Null(services.GetRequiredService<RenaultSessionStore>().Load().LoginToken);
                break;
            case OtpStateStore.FileName:
                Assert.Null(await services.GetRequiredService<OtpStateStore>().LoadAsync(TestContext.Current.CancellationToken));
                break;
            case AbrpSettings.FileName:
                Assert.Empty(services.GetRequiredService<AbrpSettings>().EnabledCars());
                break;
            case MissingEndpoints.FileName:
                Assert.Empty(services.GetRequiredService<MissingEndpoints>().Of("VF1AG000164000001"));
                break;
            case PsaTokenStore.FileName:
                Assert.True(string.IsNullOrEmpty(services.GetRequiredService<PsaTokenStore>().RefreshToken));
                break;
            default:
                var accounts = new StoredAccounts(dataDirectory, services.GetRequiredService<TimeProvider>());
                accounts.Load();
                return accounts.LoadProblem!;
        }

        return Assert.Single(log.Lines, line => line.StartsWith("Error ", StringComparison.Ordinal));
    }

    private static ServiceProvider Compose(string dataDirectory, CapturedLog log)
    {
        var services = new ServiceCollection();
        services.AddSingleton(log);
        services.AddLogging(logging => logging.AddProvider(log));
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        services.Configure<GatewayOptions>(options => options.DataDirectory = dataDirectory);
        services.AddOptions<PsaOptions>();
        services.AddSingleton<ChargeControlStore>();
        services.AddSingleton<SmartChargeGoals>();
        services.AddSingleton<RenaultSessionStore>();
        services.AddSingleton<PsaTokenStore>();
        services.AddSingleton<AbrpSettings>();
        services.AddSingleton<MissingEndpoints>();
        services.AddSingleton(provider => new OtpStateStore(Path.Combine(dataDirectory, OtpStateStore.FileName),
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<OtpStateStore>>()));
        return services.BuildServiceProvider();
    }
}
