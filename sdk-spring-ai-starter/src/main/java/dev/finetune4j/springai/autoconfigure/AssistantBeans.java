package dev.finetune4j.springai.autoconfigure;

import dev.finetune4j.FineTuning;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.springai.FineTuneChatModel;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers, for each assistant in {@code finetune4j.assistants}, a {@link ChatRouter} bean named
 * {@code <assistant>ChatRouter} (closed when the context stops) and a Spring AI {@link
 * FineTuneChatModel} bean named {@code <assistant>ChatModel} on it; with a single assistant its
 * chat model is the primary one, so Spring AI's {@code ChatClient.Builder} picks it.
 */
public final class AssistantBeans implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

    private Environment environment;
    private BeanFactory beanFactory;

    /** The bean name of an assistant's router. */
    public static String routerBeanName(String assistant) {
        return assistant + "ChatRouter";
    }

    /** The bean name of an assistant's Spring AI chat model. */
    public static String chatModelBeanName(String assistant) {
        return assistant + "ChatModel";
    }

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        List<String> assistants = Binder.get(environment)
                .bind("finetune4j.assistants", Bindable.listOf(String.class)).orElse(List.of());
        for (String assistant : assistants) {
            String routerName = routerBeanName(assistant);
            RootBeanDefinition router = new RootBeanDefinition(ChatRouter.class, () -> beanFactory
                    .getBean(FineTuning.class).chatRouter(beanFactory.getBean(FineTuneAutoConfiguration.RouterOptions
                            .class).options()));
            router.setDestroyMethodName("close");
            registry.registerBeanDefinition(routerName, router);

            RootBeanDefinition model = new RootBeanDefinition(FineTuneChatModel.class,
                    () -> FineTuneChatModel.builder()
                            .router(beanFactory.getBean(routerName, ChatRouter.class))
                            .assistant(assistant)
                            .observationRegistry(beanFactory.getBeanProvider(ObservationRegistry.class)
                                    .getIfAvailable(() -> ObservationRegistry.NOOP))
                            .build());
            model.setDependsOn(routerName);
            model.setPrimary(assistants.size() == 1);
            registry.registerBeanDefinition(chatModelBeanName(assistant), model);
        }
    }
}
