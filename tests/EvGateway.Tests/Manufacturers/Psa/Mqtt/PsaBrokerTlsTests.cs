using System.Diagnostics;
using System.Net.Security;
using EvGateway.Manufacturers.Psa.Mqtt;
using EvGateway.Simulator.Psa;
using EvGateway.Tests.TestSupport;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Accounts;

namespace EvGateway.Tests.Manufacturers.Psa.Mqtt;

/// <summary>The broker over TLS, as in real life: the gateway validates the chain, trusting one more authority only when told.</summary>
public sealed class PsaBrokerTlsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Remote_commands_work_over_tls_with_the_brokers_authority_trusted()
    {
        await using var bed = await PsaAdapter.StartBedAsync(brokerTls: true);
        using var data = new TemporaryDirectory();
        var ca = data.File("broker-ca.pem");
        await File.WriteAllTextAsync(ca, bed.Psa.MqttCaCertificatePem, Ct);
        await using var gateway = bed.StartGateway(new Dictionary<string, string?> { ["Psa:Mqtt:CaCertificateFile"] = ca });
        var vehicle = await gateway.VehicleAsync(PsaCloud.DemoE208Vin);

        Assert.True(bed.Psa.Car(vehicle.Vin).Read().Locked);

        var outcome = await gateway.Provider.SendCommandAsync(vehicle, new VehicleCommand(VehicleCommandKind.Unlock), Ct);

        Assert.True(bed.Psa.MqttUsesTls);
        Assert.True(outcome.Accepted);
        Assert.False(bed.Psa.Car(vehicle.Vin).Read().Locked);
        Assert.Equal(ProviderHealthState.LoggedIn, gateway.Provider.Health.State);
    }

    [Fact]
    public async Task Without_the_authority_trusted_a_command_fails_at_once_and_the_account_health_says_why()
    {
        await using var bed = await PsaAdapter.StartBedAsync(brokerTls: true);
        await using var gateway = bed.StartGateway();
        var vehicle = await gateway.VehicleAsync(PsaCloud.DemoE208Vin);

        var clock = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<GatewayException>(() =>
            gateway.Provider.SendCommandAsync(vehicle, new VehicleCommand(VehicleCommandKind.Lock), Ct));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.Equal(ErrorCodes.UpstreamUnavailable, failure.Code);
        Assert.Contains("TLS certificate was refused: its authority is not trusted by this system", failure.Message, StringComparison.Ordinal);
        Assert.Empty(bed.Psa.Published);
        var health = gateway.Provider.Health;
        Assert.Equal(ProviderHealthState.Failing, health.State);
        Assert.Contains("Psa:Mqtt:CaCertificateFile", health.Detail, StringComparison.Ordinal);
        var account = gateway.Get<IEnumerable<IMakerAccount>>().Single(a => a.Maker == "Psa").Status;
        Assert.Equal(health.Detail, account.Detail);
        Assert.Contains(gateway.Log.Lines, line => line.StartsWith("Error", StringComparison.Ordinal) && line.Contains("TLS certificate was refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_authority_than_the_brokers_is_no_trust_at_all()
    {
        await using var bed = await PsaAdapter.StartBedAsync(brokerTls: true);
        await using var other = await PsaAdapter.StartBedAsync(brokerTls: true);
        using var data = new TemporaryDirectory();
        var wrongCa = data.File("other-ca.pem");
        await File.WriteAllTextAsync(wrongCa, other.Psa.MqttCaCertificatePem, Ct);
        await using var gateway = bed.StartGateway(new Dictionary<string, string?> { ["Psa:Mqtt:CaCertificateFile"] = wrongCa });
        var vehicle = await gateway.VehicleAsync(PsaCloud.DemoE208Vin);

        var failure = await Assert.ThrowsAsync<GatewayException>(() =>
            gateway.Provider.SendCommandAsync(vehicle, new VehicleCommand(VehicleCommandKind.Lock), Ct));

        Assert.Contains("neither trusted by this system nor the one in Psa:Mqtt:CaCertificateFile", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_for_another_host_is_refused_even_from_the_trusted_authority() =>
        Assert.False(new PsaBrokerTrust(null).Validate(null, SslPolicyErrors.RemoteCertificateNameMismatch));

    [Fact]
    public async Task A_ca_setting_that_is_not_a_pem_certificate_stops_the_start_naming_the_key()
    {
        await using var bed = await PsaAdapter.StartBedAsync(brokerTls: true);
        using var data = new TemporaryDirectory();
        var notPem = data.File("ca.pem");
        await File.WriteAllTextAsync(notPem, "not a certificate", Ct);

        var failure = Assert.ThrowsAny<Exception>(() => bed.StartGateway(new Dictionary<string, string?> { ["Psa:Mqtt:CaCertificateFile"] = notPem }));

        Assert.Contains("Psa:Mqtt:CaCertificateFile must name a readable PEM file holding a certificate.", failure.Message, StringComparison.Ordinal);
    }
}
