using System.Net;
using System.Security.Authentication;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace EvGateway.Simulator.Psa;

/// <summary>
/// The remote-command broker (the real one is mwa.mpsa.com:8885 over TLS; this one is plain TCP on loopback, or TLS
/// with a certificate of its own authority when <see cref="SimulatorOptions.PsaMqttTls"/> is set).
/// Clients log in with user name IMA_OAUTH_ACCESS_TOKEN and a currently valid remote access token as password
/// (anything else gets CONNACK 5, not authorized), publish command envelopes, and get replies and car events back.
/// A session lives as long as the token it logged in with: when that token lapses the broker drops the client.
/// Commands (and spontaneous car events) are handled one by one, in arrival order, off the client's publish path so
/// its PUBACK is not delayed.
/// </summary>
internal sealed class PsaBroker
{
    private const string CloudClientId = "psa-remote-services";

    private readonly MqttServerFactory factory = new();
    private readonly MqttServer server;
    private readonly Channel<Func<IReadOnlyList<OutgoingMessage>>> outbox = Channel.CreateUnbounded<Func<IReadOnlyList<OutgoingMessage>>>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, Login> logins = new(StringComparer.Ordinal);
    private readonly PsaRemoteAccess remoteAccess;
    private readonly Action<PsaPublishedCommand> onCommand;
    private readonly PsaRemoteServices services;
    private readonly TimeProvider time;
    private readonly PsaBrokerCertificates? certificates;
    private Task worker = Task.CompletedTask;
    private int connectAttempts;
    private volatile bool refusingLogins;

    public PsaBroker(int port, bool tls, PsaRemoteAccess remoteAccess, Action<PsaPublishedCommand> onCommand,
        PsaRemoteServices services, TimeProvider time)
    {
        Port = port;
        this.remoteAccess = remoteAccess;
        this.onCommand = onCommand;
        this.services = services;
        this.time = time;
        var builder = factory.CreateServerOptionsBuilder();
        if (tls)
        {
            certificates = PsaBrokerCertificates.Create(time);
            builder.WithoutDefaultEndpoint()
                .WithEncryptedEndpoint()
                .WithEncryptedEndpointBoundIPAddress(IPAddress.Loopback)
                .WithEncryptedEndpointBoundIPV6Address(IPAddress.None)
                .WithEncryptedEndpointPort(port)
                .WithEncryptionCertificate(certificates.Server)
                .WithEncryptionSslProtocol(SslProtocols.Tls12 | SslProtocols.Tls13);
        }
        else
        {
            builder.WithDefaultEndpoint()
                .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
                .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
                .WithDefaultEndpointPort(port);
        }

        server = factory.CreateMqttServer(builder.Build());
        server.ValidatingConnectionAsync += ValidateConnection;
        server.ClientConnectedAsync += WatchLogin;
        server.InterceptingPublishAsync += InterceptPublish;
    }

    public int Port { get; }

    /// <summary>The PEM certificate of the authority that signed the broker's, or null on plain TCP.</summary>
    public string? CaCertificatePem => certificates?.CaPem;

    /// <summary>Every CONNECT the broker received, accepted or refused.</summary>
    public int ConnectAttempts => Volatile.Read(ref connectAttempts);

    /// <summary>While true every CONNECT is refused as not authorized, whatever token it carries.</summary>
    public bool RefusingLogins
    {
        get => refusingLogins;
        set => refusingLogins = value;
    }

    public async Task StartAsync()
    {
        await server.StartAsync();
        worker = Task.Run(AnswerCommandsAsync);
    }

    public async Task StopAsync()
    {
        outbox.Writer.TryComplete();
        await worker;
        foreach (var login in TakeLogins(_ => true))
        {
            await login.Lapse.DisposeAsync();
        }

        await server.StopAsync(factory.CreateMqttServerStopOptionsBuilder().Build());
        server.Dispose();
        certificates?.Dispose();
    }

    /// <summary>Disconnects every client at once, as when the broker restarts; the sessions' logins are forgotten.</summary>
    public async Task DropAllSessionsAsync()
    {
        var logins = TakeLogins(_ => true);
        foreach (var client in await server.GetClientsAsync())
        {
            await client.DisconnectAsync(factory.CreateMqttServerClientDisconnectOptionsBuilder()
                .WithReasonCode(MqttDisconnectReasonCode.ServerShuttingDown)
                .Build());
        }

        foreach (var login in logins)
        {
            await login.Lapse.DisposeAsync();
        }
    }

    /// <summary>Disconnects every client whose login token is no longer valid (lapsed or revoked).</summary>
    public async Task DropLapsedSessionsAsync()
    {
        var lapsed = TakeLogins(login => !remoteAccess.IsValidRemoteToken(login.Token));
        foreach (var client in await server.GetClientsAsync())
        {
            if (lapsed.Any(login => login.ClientId == client.Id))
            {
                await client.DisconnectAsync(factory.CreateMqttServerClientDisconnectOptionsBuilder()
                    .WithReasonCode(MqttDisconnectReasonCode.NotAuthorized)
                    .Build());
            }
        }

        foreach (var login in lapsed)
        {
            await login.Lapse.DisposeAsync();
        }
    }

    private Task ValidateConnection(ValidatingConnectionEventArgs e)
    {
        Interlocked.Increment(ref connectAttempts);
        // The real broker answers CONNACK 5 (not authorized) to a wrong or lapsed token, the OAuth access token included.
        if (refusingLogins || e.UserName != PsaCloud.MqttUsername || !remoteAccess.IsValidRemoteToken(e.Password))
        {
            e.ReasonCode = MqttConnectReasonCode.NotAuthorized;
        }

        return Task.CompletedTask;
    }

    private async Task WatchLogin(ClientConnectedEventArgs e)
    {
        // A one-shot timer on the simulator's clock, so tests see the drop when they move time past the token's expiry.
        var timer = time.CreateTimer(_ => _ = DropLapsedSessionsAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Login? replaced;
        lock (logins)
        {
            logins.Remove(e.ClientId, out replaced);
            logins[e.ClientId] = new Login(e.ClientId, e.Password, timer);
        }

        // Armed only once registered: a token revoked since the CONNECT was checked must find its login to drop.
        var lapse = (remoteAccess.ExpiryOf(e.Password) ?? time.GetUtcNow()) - time.GetUtcNow();
        timer.Change(lapse > TimeSpan.Zero ? lapse : TimeSpan.Zero, Timeout.InfiniteTimeSpan);

        if (replaced is not null)
        {
            // The same client id logged in again (a session takeover): only the newest login's token counts.
            await replaced.Lapse.DisposeAsync();
        }
    }

    private List<Login> TakeLogins(Func<Login, bool> which)
    {
        lock (logins)
        {
            var taken = logins.Values.Where(which).ToList();
            foreach (var login in taken)
            {
                logins.Remove(login.ClientId);
            }

            return taken;
        }
    }

    private Task InterceptPublish(InterceptingPublishEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        if (e.ClientId == CloudClientId || !topic.StartsWith(PsaTopics.CommandPrefix, StringComparison.Ordinal))
        {
            return Task.CompletedTask;
        }

        // Commands are for the cloud only: other clients must not see another account's remote token.
        e.ProcessPublish = false;
        var command = PsaPublishedCommand.Parse(topic, e.ApplicationMessage.ConvertPayloadToString() ?? "", time.GetUtcNow());
        onCommand(command);
        outbox.Writer.TryWrite(() => services.Handle(command));
        return Task.CompletedTask;
    }

    /// <summary>Publishes a message the cloud originates (a car event), after anything already queued.</summary>
    public void Announce(OutgoingMessage message) => outbox.Writer.TryWrite(() => [message]);

    private async Task AnswerCommandsAsync()
    {
        await foreach (var work in outbox.Reader.ReadAllAsync())
        {
            foreach (var message in work())
            {
                var applicationMessage = new MqttApplicationMessageBuilder()
                    .WithTopic(message.Topic)
                    .WithPayload(message.Payload.ToJsonString())
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build();
                await server.InjectApplicationMessage(
                    new InjectedMqttApplicationMessage(applicationMessage) { SenderClientId = CloudClientId });
            }
        }
    }

    /// <summary>The token a connected client logged in with and the timer that drops it when that token lapses.</summary>
    private sealed record Login(string ClientId, string Token, ITimer Lapse)
    {
        public override string ToString() => nameof(Login);
    }
}
