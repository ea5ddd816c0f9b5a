package io.caravan.core.arch;

import static com.tngtech.archunit.core.domain.JavaAccess.Predicates.targetOwner;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.caravan.core.jobs.Watch;

/** State with one writer: who may change it is a rule, not a habit. */
@AnalyzeClasses(packages = "io.caravan", importOptions = ImportOption.DoNotIncludeTests.class)
class StateOwnershipRulesTest {

    /**
     * A job's state (log offsets, signals sent, cancel asked) is noted by HostJobs alone, under its lock: the
     * supervisor's steps, the completion and the log collector read it and tell HostJobs what they did.
     */
    @ArchTest
    static final ArchRule hostJobsAloneWritesAJobsWatch = noClasses()
            .that()
            .doNotHaveFullyQualifiedName("io.caravan.core.jobs.HostJobs")
            .and()
            .doNotBelongToAnyOf(Watch.class)
            .should()
            .setFieldWhere(targetOwner(equivalentTo(Watch.class)));
}
