using System.Net;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace EvGateway.Simulator.Psa;

/// <summary>
/// The remote-command broker (the real one is mwa.mpsa.com:8885 over TLS; this one is plain TCP on loopback).
/// Clients log in with the OAuth access token, publish command envelopes, and get replies and car events back.
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
    private readonly Func<string?, bool> isValidAccessToken;
    private readonly Action<PsaPublishedCommand> onCommand;
    private readonly PsaRemoteServices services;
    private readonly TimeProvider time;
    private Task worker = Task.CompletedTask;

    public PsaBroker(int port, Func<string?, bool> isValidAccessToken, Action<PsaPublishedCommand> onCommand,
        PsaRemoteServices services, TimeProvider time)
    {
        Port = port;
        this.isValidAccessToken = isValidAccessToken;
        this.onCommand = onCommand;
        this.services = services;
        this.time = time;
        var options = factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(port)
            .Build();
        server = factory.CreateMqttServer(options);
        server.ValidatingConnectionAsync += ValidateConnection;
        server.InterceptingPublishAsync += InterceptPublish;
    }

    public int Port { get; }

    public async Task StartAsync()
    {
        await server.StartAsync();
        worker = Task.Run(AnswerCommandsAsync);
    }

    public async Task StopAsync()
    {
        outbox.Writer.TryComplete();
        await worker;
        await server.StopAsync(factory.CreateMqttServerStopOptionsBuilder().Build());
        server.Dispose();
    }

    private Task ValidateConnection(ValidatingConnectionEventArgs e)
    {
        if (e.UserName != PsaCloud.MqttUsername || !isValidAccessToken(e.Password))
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
        }

        return Task.CompletedTask;
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
}
