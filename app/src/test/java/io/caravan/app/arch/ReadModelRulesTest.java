package io.caravan.app.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.syntax.elements.GivenClassesConjunction;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;

/**
 * The web API and the command line read what the storage layer hands out (records such as {@code Run},
 * {@code TaskInstance}, {@code CleanupDebt}) and change it through the stores; they never see a JPA entity, an
 * entity manager or Hibernate. The storage package is imported too, so that its entities are known to the rules.
 */
@AnalyzeClasses(
        packages = {"io.caravan.app", "io.caravan.core.storage"},
        importOptions = ImportOption.DoNotIncludeTests.class)
class ReadModelRulesTest {

    @ArchTest
    static final ArchRule webApiDependsOnReadModelsOnly =
            readModelsOnly(noClasses().that().resideInAPackage("io.caravan.app.web.."));

    /** The command line: Main, the commands and the sessions and server they start. */
    @ArchTest
    static final ArchRule cliDependsOnReadModelsOnly = readModelsOnly(noClasses()
            .that()
            .resideInAPackage("io.caravan.app..")
            .and()
            .resideOutsideOfPackage("io.caravan.app.web.."));

    /** Fails if no entity was imported, which would leave the rules above nothing to find. */
    @ArchTest
    static final ArchRule theEntitiesAreInView =
            classes().that().areAnnotatedWith(Entity.class).should().resideInAPackage("io.caravan.core.storage");

    private static ArchRule readModelsOnly(GivenClassesConjunction callers) {
        return callers.should()
                .dependOnClassesThat()
                .areAnnotatedWith(Entity.class)
                .orShould()
                .dependOnClassesThat()
                .areAnnotatedWith(Embeddable.class)
                .orShould()
                .dependOnClassesThat()
                .resideInAnyPackage("jakarta.persistence..", "org.hibernate..")
                .because("the storage layer hands out read models and keeps its entities to itself");
    }
}
