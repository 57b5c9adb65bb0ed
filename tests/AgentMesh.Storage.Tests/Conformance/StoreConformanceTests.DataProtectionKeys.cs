using AgentMesh.Storage.Abstractions;
using Shouldly;
using Xunit;

namespace AgentMesh.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    // The shape Data Protection's XmlKeyManager stores (abridged), with characters a careless encoding would mangle.
    private const string KeyXml = """
        <key id="9f2a6f0e-3c1b-4d55-a7a2-0c8e1d2b3f41" version="1"><creationDate>2026-01-01T12:00:00Z</creationDate><descriptor deserializerType="Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel.AuthenticatedEncryptorDescriptorDeserializer"><descriptor><encryption algorithm="AES_256_CBC" /><validation algorithm="HMACSHA256" /><masterKey p4:requiresEncryption="true" xmlns:p4="http://schemas.asp.net/2015/03/dataProtection"><!-- Warning: the key below is in an unencrypted form. --><value>c2VjcmV0IOKAlCDDqQ==</value></masterKey></descriptor></descriptor></key>
        """;

    [Fact]
    public async Task Data_protection_keys_start_empty()
    {
        (await Store.DataProtectionKeys.ReadAllAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Data_protection_keys_read_back_an_element_exactly_with_its_friendly_name_and_time()
    {
        await Store.DataProtectionKeys.StoreAsync("key-9f2a6f0e-3c1b-4d55-a7a2-0c8e1d2b3f41", KeyXml);

        var stored = (await Store.DataProtectionKeys.ReadAllAsync()).ShouldHaveSingleItem();
        stored.FriendlyName.ShouldBe("key-9f2a6f0e-3c1b-4d55-a7a2-0c8e1d2b3f41");
        stored.Xml.ShouldBe(KeyXml);
        stored.CreatedAt.ShouldBe(Now);
    }

    [Fact]
    public async Task Data_protection_keys_keep_every_element_stored_under_one_friendly_name_in_the_order_stored()
    {
        await Store.DataProtectionKeys.StoreAsync("key-a", "<key n=\"1\" />");
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Store.DataProtectionKeys.StoreAsync("key-a", "<key n=\"2\" />");
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Store.DataProtectionKeys.StoreAsync(null, "<revocation />");

        var all = await Store.DataProtectionKeys.ReadAllAsync();
        all.Select(e => (e.FriendlyName, e.Xml, e.CreatedAt)).ShouldBe([
            ("key-a", "<key n=\"1\" />", Now.AddSeconds(-2)),
            ("key-a", "<key n=\"2\" />", Now.AddSeconds(-1)),
            (null, "<revocation />", Now),
        ]);
        all.Select(e => e.Id).ShouldBe(all.Select(e => e.Id).Order(), "ids increase in the order elements were stored");
        all.Select(e => e.Id).Distinct().Count().ShouldBe(3);
    }

    [Fact]
    public async Task Data_protection_keys_stored_by_one_store_are_read_by_another_on_the_same_database_and_back()
    {
        await using var second = OpenSecondStore(Clock);

        await Store.DataProtectionKeys.StoreAsync("key-first", KeyXml);
        (await second.DataProtectionKeys.ReadAllAsync()).ShouldHaveSingleItem().Xml.ShouldBe(KeyXml);

        await second.DataProtectionKeys.StoreAsync("key-second", "<key n=\"2\" />");
        (await Store.DataProtectionKeys.ReadAllAsync()).Select(e => e.FriendlyName).ShouldBe(["key-first", "key-second"]);
    }
}
