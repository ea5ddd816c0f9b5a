package io.caravan.core.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;

/**
 * SPEC §1: no Camel types in core; the SSH transport knows nothing of workflows; the JPA entities stay in the storage
 * layer, which hands out read models (records such as {@code Run}, {@code TaskInstance}).
 */
@AnalyzeClasses(packages = "io.caravan", importOptions = ImportOption.DoNotIncludeTests.class)
class DependencyRulesTest {

    @ArchTest
    static final ArchRule coreDoesNotUseCamel = noClasses()
            .that()
            .resideInAPackage("io.caravan.core..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.apache.camel..");

    @ArchTest
    static final ArchRule spiDoesNotUseCamel = noClasses()
            .that()
            .resideInAPackage("io.caravan.spi..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.apache.camel..")
            .allowEmptyShould(true); // the SPI arrives with the remote-job issue

    @ArchTest
    static final ArchRule coreKnowsNothingOfTheLayersAboveIt = noClasses()
            .that()
            .resideInAPackage("io.caravan.core..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.caravan.routes..", "io.caravan.app..");

    @ArchTest
    static final ArchRule storageDoesNotRunTheEngine = noClasses()
            .that()
            .resideInAPackage("io.caravan.core.storage..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.caravan.core.engine..", "io.caravan.core.ssh.SshTransport");

    @ArchTest
    static final ArchRule workflowModelDoesNotTouchStorageOrEngine = noClasses()
            .that()
            .resideInAPackage("io.caravan.core.workflow..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.caravan.core.storage..", "io.caravan.core.engine..");

    /** The engine and the job supervisors work the same alone or in a cluster: the cluster plugs in through HostAdmission. */
    @ArchTest
    static final ArchRule engineAndJobsDoNotKnowTheCluster = noClasses()
            .that()
            .resideInAnyPackage("io.caravan.core.engine..", "io.caravan.core.jobs..", "io.caravan.core.storage..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.caravan.core.cluster..");

    /** The transport may use the SPI's shell quoting (io.caravan.spi.posix), not the job backend SPI itself. */
    @ArchTest
    static final ArchRule sshTransportStandsAlone = noClasses()
            .that()
            .resideInAPackage("io.caravan.core.ssh..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.caravan.core.workflow..",
                    "io.caravan.core.jobs..",
                    "io.caravan.core.engine..",
                    "io.caravan.core.storage..",
                    "io.caravan.spi")
            .allowEmptyShould(true);

    /** Callers read records (Run, TaskInstance, CleanupDebt...) and write through the stores: a row never leaves storage. */
    @ArchTest
    static final ArchRule entitiesStayInStorage = noClasses()
            .that()
            .resideOutsideOfPackage("io.caravan.core.storage..")
            .should()
            .dependOnClassesThat()
            .areAnnotatedWith(Entity.class)
            .orShould()
            .dependOnClassesThat()
            .areAnnotatedWith(Embeddable.class)
            .orShould()
            .dependOnClassesThat()
            .resideInAnyPackage("jakarta.persistence..", "org.hibernate..")
            .because("the storage layer hands out read models, and keeps its JPA entities to itself");

    /** Entities (and their keys) live in the storage package and are not public there: nothing else can reach them. */
    @ArchTest
    static final ArchRule entitiesAreStoragePrivate = classes()
            .that()
            .areAnnotatedWith(Entity.class)
            .or()
            .areAnnotatedWith(Embeddable.class)
            .should()
            .resideInAPackage("io.caravan.core.storage")
            .andShould()
            .notBePublic();
}
